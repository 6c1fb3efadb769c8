import type { SegmentCount } from "@/lib/sms/segments";

/** Live cost of the text being typed, and which characters force the expensive UCS-2 encoding. */
export function SegmentCounter({ count }: { count: SegmentCount }) {
  const single = count.encoding === "GSM-7" ? 160 : 70;
  const multi = count.encoding === "GSM-7" ? 153 : 67;
  return (
    <div className="space-y-1 text-xs text-slate-500">
      <p data-test="reply-segments" data-segments={count.segments} data-encoding={count.encoding}>
        {count.segments <= 1
          ? `${count.units}/${single}${count.segments === 1 ? " · 1 segment" : ""} · ${count.encoding}`
          : `${count.units} characters · ${count.segments} segments of ${multi} · ${count.encoding} · ${count.remaining} left in the last`}
      </p>
      {count.ucs2Characters.length > 0 ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-amber-800" role="status" data-test="reply-ucs2-warning">
          {count.ucs2Characters.map((c) => `“${c}”`).join(", ")} {count.ucs2Characters.length === 1 ? "is" : "are"} not
          in the GSM-7 alphabet, so this text is sent as UCS-2: 70 characters per segment instead of 160 (67 instead of
          153 when split). Replace {count.ucs2Characters.length === 1 ? "it" : "them"} to send fewer segments.
        </p>
      ) : null}
    </div>
  );
}
