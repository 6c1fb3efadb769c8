import { describe, expect, it } from "vitest";
import { csvCell, csvLine, neutralizeCell } from "./csv-cell";

describe("csvCell: formula injection (OWASP)", () => {
  it.each(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "\nx", '=HYPERLINK("http://x")'])(
    "neutralizes %j with a leading apostrophe",
    (value) => {
      expect(neutralizeCell(value, false)).toBe(`'${value}`);
    },
  );

  it("leaves ordinary text alone", () => {
    expect(neutralizeCell("Olive", false)).toBe("Olive");
    expect(neutralizeCell("a=b", false)).toBe("a=b");
  });

  it("keeps E.164 phones in phone columns usable, but not look-alikes or in other columns", () => {
    expect(neutralizeCell("+13125550100", true)).toBe("+13125550100");
    expect(neutralizeCell("+13125550100", false)).toBe("'+13125550100");
    expect(neutralizeCell("+1 312 555", true)).toBe("'+1 312 555");
    expect(neutralizeCell("+1312555010=1", true)).toBe("'+1312555010=1");
  });

  it("quotes cells with commas, quotes, line breaks or edge spaces, and renders null and objects", () => {
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("=a\nb")).toBe('"\'=a\nb"');
    expect(csvCell(" x")).toBe('" x"');
    expect(csvCell(null)).toBe("");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvLine(["a", "b"])).toBe("a,b\r\n");
  });
});
