import type { SegmentCount } from "@/lib/sms/segments";

/**
 * Live cost of a text, and which characters force the expensive UCS-2 encoding. Shared by the
 * inbox's reply box and the campaign composer's previews; `testId` names its data-test hooks
 * (`<testId>-segments`, `<testId>-ucs2-warning`) so several counters on one page stay apart.
 */
export function SegmentCounter({ count, testId = "reply" }: { count: SegmentCount; testId?: string }) {
  const single = count.encoding === "GSM-7" ? 160 : 70;
  const multi = count.encoding === "GSM-7" ? 153 : 67;
  return (
    <div className="space-y-1 text-xs text-slate-500">
      <p data-test={`${testId}-segments`} data-segments={count.segments} data-encoding={count.encoding}>
        {count.segments <= 1
          ? `${count.units}/${single}${count.segments === 1 ? " · 1 segment" : ""} · ${count.encoding}`
          : `${count.units} characters · ${count.segments} segments of ${multi} · ${count.encoding} · ${count.remaining} left in the last`}
      </p>
      {count.ucs2Characters.length > 0 ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-amber-800" role="status" data-test={`${testId}-ucs2-warning`}>
          {count.ucs2Characters.map((c) => `“${c}”`).join(", ")} {count.ucs2Characters.length === 1 ? "is" : "are"} not
          in the GSM-7 alphabet, so this text is sent as UCS-2: 70 characters per segment instead of 160 (67 instead of
          153 when split). Replace {count.ucs2Characters.length === 1 ? "it" : "them"} to send fewer segments.
        </p>
      ) : null}
    </div>
  );
}
