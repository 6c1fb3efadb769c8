"use client";

import { useActionState } from "react";
import { confirmAppointmentAction } from "../actions";

/** The proposed visit of an appointment reply, for staff to confirm. */
export function ConfirmAppointment({
  leadId,
  messageId,
  when,
  confirmed,
}: {
  leadId: string;
  messageId: string;
  /** Already formatted in the dealership's zone. */
  when: string;
  confirmed: boolean;
}) {
  const [result, action, pending] = useActionState(confirmAppointmentAction, null);
  return (
    <form action={action} className="mt-1 flex flex-wrap items-center gap-2 text-xs" data-test="proposed-appointment">
      <input type="hidden" name="leadId" value={leadId} />
      <input type="hidden" name="messageId" value={messageId} />
      <span className="text-slate-700">
        Proposed visit: <strong data-test="proposed-appointment-when">{when}</strong>
      </span>
      {confirmed ? (
        <span className="rounded bg-green-100 px-1.5 text-green-900" data-test="appointment-confirmed">
          confirmed
        </span>
      ) : (
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-brand-600 px-2 py-0.5 font-semibold text-white disabled:opacity-50"
          data-test="confirm-appointment"
        >
          Confirm
        </button>
      )}
      {result && !result.ok ? (
        <span role="alert" className="text-red-700">
          {result.error.message}
        </span>
      ) : null}
    </form>
  );
}
