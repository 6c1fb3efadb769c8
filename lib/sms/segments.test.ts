import { describe, expect, it } from "vitest";
import { countSmsSegments } from "./segments";

describe("countSmsSegments", () => {
  it("GSM-7: 160 in one segment, 153 per part after that", () => {
    expect(countSmsSegments("a".repeat(160))).toMatchObject({
      encoding: "GSM-7",
      units: 160,
      segments: 1,
      remaining: 0,
    });
    expect(countSmsSegments("a".repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 145 });
    expect(countSmsSegments("a".repeat(306)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(307)).segments).toBe(3);
  });

  it("extended GSM characters count two and never split across parts", () => {
    expect(countSmsSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSmsSegments("{".repeat(81)).segments).toBe(2);
    // 152 plain + one escape pair: 154 septets do not fit 153, so the pair moves to part two.
    expect(countSmsSegments(`${"a".repeat(152)}^${"a".repeat(10)}`)).toMatchObject({
      units: 164,
      segments: 2,
      remaining: 153 - 12,
    });
  });

  it("one non-GSM character switches everything to UCS-2 and is named", () => {
    const r = countSmsSegments(`Great news ✓ ${"a".repeat(50)}`);
    expect(r).toMatchObject({ encoding: "UCS-2", segments: 1, perSegment: 70, ucs2Characters: ["✓"] });
    expect(countSmsSegments("a".repeat(70)).encoding).toBe("GSM-7");
    expect(countSmsSegments(`✓${"a".repeat(69)}`)).toMatchObject({ segments: 1, remaining: 0 });
    expect(countSmsSegments(`✓${"a".repeat(70)}`)).toMatchObject({ segments: 2, perSegment: 67 });
    expect(countSmsSegments("Curly “quotes” and ✓✓").ucs2Characters).toEqual(["“", "”", "✓"]);
  });

  it("an emoji is two UTF-16 units and is not split across parts", () => {
    expect(countSmsSegments("😀")).toMatchObject({ encoding: "UCS-2", units: 2, segments: 1 });
    // 66 units + an emoji (2) exceeds 67 in part one, so the emoji starts part two.
    const r = countSmsSegments(`${"a".repeat(70)}😀`);
    expect(r).toMatchObject({ units: 72, segments: 2, remaining: 67 - 5 });
  });

  it("accented letters in GSM-7 stay GSM-7; others do not", () => {
    expect(countSmsSegments("é è ñ ü Ä ß").encoding).toBe("GSM-7");
    expect(countSmsSegments("ç").encoding).toBe("UCS-2"); // only capital Ç is in GSM-7
  });

  it("empty body is zero segments", () => {
    expect(countSmsSegments("")).toMatchObject({ segments: 0, units: 0 });
  });
});
