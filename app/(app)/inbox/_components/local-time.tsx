"use client";

/** A timestamp in the reader's own time zone (the server renders UTC; the browser corrects it). */
export function LocalTime({ iso, withDate = true }: { iso: string; withDate?: boolean }) {
  const d = new Date(iso);
  const text = withDate
    ? d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
    : d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
