"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { inviteMemberAction } from "../team-actions";

const ROLE_LABELS: Record<MembershipRole, string> = { owner: "Owner", admin: "Admin", manager: "Manager", rep: "Rep" };

/** Invite someone by e-mail with a role; owners may also invite owners. */
export function InviteMemberForm({ roles }: { roles: MembershipRole[] }) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof inviteMemberAction>> | null, FormData>(
    inviteMemberAction,
    null,
  );
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const fieldError = (name: string) => (state && !state.ok ? state.error.fieldErrors?.[name]?.[0] : undefined);
  return (
    <form
      ref={form}
      method="post"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="flex flex-wrap items-end gap-3"
      data-test="invite-form"
    >
      <label className="text-sm">
        <span className="text-slate-700">E-mail</span>
        <input
          name="email"
          type="email"
          required
          autoComplete="off"
          className="mt-1 block w-64 rounded-md border border-slate-300 px-2 py-1"
          data-test="invite-email"
        />
        {fieldError("email") ? <span className="block text-xs text-red-700">{fieldError("email")}</span> : null}
      </label>
      <label className="text-sm">
        <span className="text-slate-700">Role</span>
        <select
          name="role"
          defaultValue="rep"
          className="mt-1 block rounded-md border border-slate-300 px-2 py-1"
          data-test="invite-role"
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white"
        data-test="invite-submit"
      >
        {pending ? "Inviting…" : "Invite"}
      </button>
      {state?.ok ? (
        <span role="status" className="text-sm text-green-800" data-test="invite-sent">
          {state.data.emailSent
            ? "Invitation sent."
            : "They already have an account: they will see the invitation when they next sign in."}
        </span>
      ) : null}
      {state && !state.ok && !state.error.fieldErrors ? (
        <span role="alert" className="text-sm text-red-700" data-test="invite-error">
          {state.error.message}
        </span>
      ) : null}
    </form>
  );
}
