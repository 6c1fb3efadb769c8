"use client";

import { useActionState } from "react";
import type { Membership } from "@/lib/dealerships/memberships";
import { switchDealershipAction } from "../actions";

/** Shows the active dealership; members of several can switch (a plain form: works without JS). */
export function DealershipSwitcher({ memberships, active }: { memberships: Membership[]; active: Membership }) {
  const [state, action, pending] = useActionState(switchDealershipAction, null);
  return (
    <div className="space-y-2">
      <p className="text-xs tracking-wide text-slate-500 uppercase">Dealership</p>
      <p className="font-semibold" data-test="active-dealership">
        {active.dealershipName}
      </p>
      <p className="text-xs text-slate-500" data-test="active-role">
        {active.role}
      </p>
      {memberships.length > 1 ? (
        <form action={action} className="flex gap-2" data-test="dealership-switcher">
          <select
            name="dealershipId"
            defaultValue={active.dealershipId}
            aria-label="Switch dealership"
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {memberships.map((m) => (
              <option key={m.dealershipId} value={m.dealershipId}>
                {m.dealershipName}
              </option>
            ))}
          </select>
          <button type="submit" disabled={pending} className="rounded-md bg-slate-800 px-2 py-1 text-sm text-white">
            Switch
          </button>
        </form>
      ) : null}
      {state && !state.ok ? (
        <p className="text-xs text-red-700" role="alert" data-test="switch-error">
          {state.error.message}
        </p>
      ) : null}
    </div>
  );
}
