"use client";

import { useId } from "react";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { SensitiveForm } from "@/app/_components/sensitive-form";
import { changeRoleAction, removeMemberAction } from "../team-actions";

const ROLE_LABELS: Record<MembershipRole, string> = { owner: "Owner", admin: "Admin", manager: "Manager", rep: "Rep" };

/**
 * Change one member's role, or remove them (their leads go to someone else or become
 * unassigned; their sessions end at once). Both ask for a fresh password or code first.
 */
export function MemberControls({
  userId,
  name,
  role,
  roles,
  others,
  mfa,
}: {
  userId: string;
  name: string;
  role: MembershipRole;
  /** The roles the viewer may give (owner only for owners). */
  roles: MembershipRole[];
  /** Who the removed member's leads may go to. */
  others: { userId: string; name: string }[];
  mfa: boolean;
}) {
  const roleId = useId();
  const reassignId = useId();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <SensitiveForm action={changeRoleAction} mfa={mfa} className="flex items-center gap-2" test="member-role-form">
        {(pending) => (
          <>
            <input type="hidden" name="userId" value={userId} />
            <label htmlFor={roleId} className="sr-only">
              Role of {name}
            </label>
            <select
              id={roleId}
              name="role"
              defaultValue={role}
              className="rounded-md border border-slate-300 px-2 py-0.5"
              data-test="member-role"
            >
              {(roles.includes(role) ? roles : [role, ...roles]).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
            <button
              type="submit"
              disabled={pending}
              className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
              data-test="member-role-save"
            >
              Save
            </button>
          </>
        )}
      </SensitiveForm>
      <SensitiveForm
        action={removeMemberAction}
        mfa={mfa}
        confirm={`Remove ${name}? They are signed out at once.`}
        className="flex items-center gap-2"
        test="member-remove-form"
      >
        {(pending) => (
          <>
            <input type="hidden" name="userId" value={userId} />
            <label htmlFor={reassignId} className="text-slate-700">
              Leads to
            </label>
            <select
              id={reassignId}
              name="reassignTo"
              defaultValue=""
              className="rounded-md border border-slate-300 px-2 py-0.5"
              data-test="member-reassign"
            >
              <option value="">Nobody (unassigned)</option>
              {others.map((o) => (
                <option key={o.userId} value={o.userId}>
                  {o.name}
                </option>
              ))}
            </select>
            <button
              type="submit"
              disabled={pending}
              className="rounded-md border border-red-300 px-2 py-0.5 text-red-800 hover:bg-red-50"
              data-test="member-remove"
            >
              Remove
            </button>
          </>
        )}
      </SensitiveForm>
    </div>
  );
}
