const STYLES: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700",
  scheduled: "bg-sky-100 text-sky-800",
  sending: "bg-brand-100 text-brand-700",
  paused: "bg-amber-100 text-amber-900",
  completed: "bg-green-100 text-green-800",
  canceled: "bg-slate-200 text-slate-700",
};

/** A campaign's status as a small badge (draft, scheduled, sending, paused, completed, canceled). */
export function CampaignStatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${STYLES[status] ?? STYLES.draft}`}
      data-test="campaign-status"
      data-status={status}
    >
      {status}
    </span>
  );
}
