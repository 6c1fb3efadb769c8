"use client";

import { useActionState } from "react";
import { changeCampaignAction } from "../../actions";

/**
 * Pause, resume and cancel, offered as the campaign's status allows (the database refuses the
 * rest on its own). Cancelling asks first: queued messages are then never sent. A refusal is shown.
 */
export function CampaignControls({ campaignId, status }: { campaignId: string; status: string }) {
  const [state, action, pending] = useActionState<Awaited<ReturnType<typeof changeCampaignAction>> | null, FormData>(
    changeCampaignAction,
    null,
  );
  const canPause = status === "scheduled" || status === "sending";
  const canResume = status === "paused";
  const canCancel = status !== "completed" && status !== "canceled";
  if (!canPause && !canResume && !canCancel) return null;
  const button = "rounded-md px-3 py-1.5 text-sm font-semibold disabled:opacity-50";
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" data-test="campaign-controls">
      <input type="hidden" name="campaignId" value={campaignId} />
      {canPause ? (
        <button
          type="submit"
          name="change"
          value="pause"
          disabled={pending}
          className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-100`}
          data-test="campaign-pause"
        >
          Pause
        </button>
      ) : null}
      {canResume ? (
        <button
          type="submit"
          name="change"
          value="resume"
          disabled={pending}
          className={`${button} bg-brand-600 text-white`}
          data-test="campaign-resume"
        >
          Resume
        </button>
      ) : null}
      {canCancel ? (
        <button
          type="submit"
          name="change"
          value="cancel"
          disabled={pending}
          onClick={(e) => {
            if (!window.confirm("Cancel this campaign? Messages not sent yet will never be sent.")) e.preventDefault();
          }}
          className={`${button} border border-red-300 bg-white text-red-700 hover:bg-red-50`}
          data-test="campaign-cancel"
        >
          Cancel campaign
        </button>
      ) : null}
      {state && !state.ok ? (
        <p className="text-sm text-red-700" role="alert" data-test="campaign-control-error">
          {state.error.message}
        </p>
      ) : null}
    </form>
  );
}
