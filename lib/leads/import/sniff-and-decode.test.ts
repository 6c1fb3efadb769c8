/** Content sniffing and text decoding: files are judged by their bytes, never their names. */
import { describe, expect, it } from "vitest";
import { decodeCsvBytes } from "./decode-text";
import { ImportFileError } from "./import-error";
import { MAX_IMPORT_BYTES } from "./import-limits";
import { readCsvFile } from "./read-csv-file";
import { assertLooksLikeCsv } from "./sniff-content";

const utf8 = (s: string) => new TextEncoder().encode(s);
const u8 = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...utf8(p)] : p)));

function refusal(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return err as ImportFileError;
  }
  throw new Error("expected the file to be refused");
}

describe("assertLooksLikeCsv", () => {
  it.each([
    [
      "xlsx (zip local header)",
      u8([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0], "[Content_Types].xml"),
      /Excel workbook or a zip/,
    ],
    ["empty zip", u8([0x50, 0x4b, 0x05, 0x06], new Array(18).fill(0)), /zip/],
    ["legacy xls (OLE2)", u8([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array(8).fill(0)), /\.xls/],
    ["pdf", u8("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"), /PDF/],
    ["png", u8([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /PNG/],
    ["jpeg", u8([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]), /JPEG/],
    ["gif", u8("GIF89a", [1, 0, 1, 0]), /GIF/],
    ["webp", u8("RIFF", [0x24, 0, 0, 0], "WEBPVP8 "), /WebP/],
    ["gzip", u8([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), /gzip/],
    ["binary with NUL bytes", u8("First Name,Phone\nAnn,312", [0, 0, 1, 2]), /binary/],
  ])("refuses %s, saying what it is", (_label, bytes, message) => {
    const err = refusal(() => assertLooksLikeCsv(bytes));
    expect(err.problem).toBe("not_csv");
    expect(err.code).toBe("unsupported_media_type");
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/CSV/);
  });

  it("refuses an empty file", () => {
    expect(refusal(() => assertLooksLikeCsv(new Uint8Array())).problem).toBe("empty");
  });

  it("accepts text, and UTF-16 text with its BOM despite the NULs", () => {
    expect(() => assertLooksLikeCsv(utf8("Phone\n3125550100\n"))).not.toThrow();
    expect(() => assertLooksLikeCsv(u8([0xff, 0xfe], [0x50, 0]))).not.toThrow();
  });
});

describe("decodeCsvBytes", () => {
  it("reads UTF-8 with and without a BOM, dropping the BOM", () => {
    expect(decodeCsvBytes(u8([0xef, 0xbb, 0xbf], "Zoë,Ångström"))).toEqual({ text: "Zoë,Ångström", encoding: "utf-8" });
    expect(decodeCsvBytes(utf8("Zoë,Ångström"))).toEqual({ text: "Zoë,Ångström", encoding: "utf-8" });
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8", () => {
    // "Renée “Ré” Müller – €5" in cp1252: é=E9, “=93, ”=94, ü=FC, –=96, €=80
    const bytes = u8("Ren", [0xe9], "e ", [0x93], "R", [0xe9, 0x94], " M", [0xfc], "ller ", [0x96], " ", [0x80], "5");
    expect(decodeCsvBytes(bytes)).toEqual({ text: "Renée “Ré” Müller – €5", encoding: "windows-1252" });
  });

  it("reads UTF-16 LE and BE with a BOM", () => {
    const le = u8([0xff, 0xfe], [...Buffer.from("Name\tPhone\nZoë\t312", "utf16le")]);
    expect(decodeCsvBytes(le)).toEqual({ text: "Name\tPhone\nZoë\t312", encoding: "utf-16le" });
    const beBody = Buffer.from("Name", "utf16le").swap16();
    expect(decodeCsvBytes(u8([0xfe, 0xff], [...beBody]))).toEqual({ text: "Name", encoding: "utf-16be" });
  });

  it("refuses binary junk that has no known signature", () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 32);
    expect(refusal(() => decodeCsvBytes(junk)).problem).toBe("not_csv");
  });

  it("refuses a file of only whitespace or only a BOM", () => {
    expect(refusal(() => decodeCsvBytes(utf8(" \r\n\t\n"))).problem).toBe("empty");
    expect(refusal(() => decodeCsvBytes(u8([0xef, 0xbb, 0xbf]))).problem).toBe("empty");
  });
});

describe("readCsvFile limits", () => {
  it("refuses a file over the size limit before reading it", () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41);
    const err = refusal(() => readCsvFile(big));
    expect(err.problem).toBe("too_large");
    expect(err.code).toBe("payload_too_large");
    expect(err.message).toMatch(/50 MB/);
  });
});
