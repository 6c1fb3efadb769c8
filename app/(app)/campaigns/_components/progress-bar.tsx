/** How far a campaign has got: a bar and "done of total" (the bar's width is an inline style attribute, which the CSP allows). */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <div className="flex items-center gap-2">
      <div
        className="h-2 w-32 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="h-full bg-brand-600" style={{ width: `${pct}%` }} />
      </div>
      <span className="text-xs whitespace-nowrap text-slate-600" data-test="campaign-progress-text">
        {done} of {total}
      </span>
    </div>
  );
}
