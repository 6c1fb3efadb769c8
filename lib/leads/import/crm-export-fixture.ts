/**
 * A deterministic, CRM-style lead export (DealerSocket-like headers, realistic gaps and mess:
 * ~1% invalid phones, ~1% duplicate customers, missing emails, VINs and trims, a combined phone
 * fallback, opt-outs) for the benchmark and large tests. Phone numbers are in the 555-01xx
 * fiction block's neighbours of real area codes; nothing here is a real person.
 */
import { closeSync, openSync, writeSync } from "node:fs";

const FIRST = [
  "James",
  "Maria",
  "Robert",
  "Linda",
  "Michael",
  "Patricia",
  "David",
  "Jennifer",
  "Carlos",
  "Aisha",
  "Wei",
  "Olga",
  "Tom",
  "Priya",
  "Jamal",
  "Emily",
  "Luis",
  "Grace",
  "Noah",
  "Sofía",
];
const LAST = [
  "Smith",
  "Garcia",
  "Johnson",
  "Nguyen",
  "Brown",
  "Martinez",
  "Lee",
  "Walker",
  "Hernandez",
  "O'Brien",
  "Kowalski",
  "Patel",
  "Young",
  "Rivera",
  "Chen",
  "Jackson",
  "Lopez",
  "Clark",
  "Adams",
  "Baker",
];
const VEHICLES: [string, string, string][] = [
  ["Ford", "F-150", "XLT"],
  ["Toyota", "Camry", "SE"],
  ["Honda", "CR-V", "EX-L"],
  ["Chevrolet", "Silverado 1500", "LT"],
  ["Jeep", "Grand Cherokee", "Limited"],
  ["Nissan", "Rogue", "SV"],
  ["Hyundai", "Tucson", "SEL"],
  ["Subaru", "Outback", "Premium"],
];
const AREA_CODES = ["312", "773", "630", "847", "708", "815"];
const SOURCES = ["Website", "AutoTrader", "Cars.com", "Walk-in", "Phone-up", "Facebook", "Referral"];
const REPS = ["Northside owner", "Northside manager", "Northside rep", "Dana Whitfield", ""];
const NOTES = [
  "",
  "",
  "",
  "Asked about trade-in value, call back after payday",
  'Wants a "certified" SUV; spouse decides',
  "Credit app started\nnever finished",
  '=HYPERLINK("x") pasted from CRM',
];
const OPT_IN = ["", "", "Yes", "Y", "No", "Opted Out"];

export const CRM_EXPORT_HEADERS = [
  "Customer ID",
  "First Name",
  "Last Name",
  "Cell Phone",
  "Home Phone",
  "Email Address",
  "Year",
  "Make",
  "Model",
  "Trim",
  "VIN",
  "Last Visit",
  "Salesperson",
  "Lead Source",
  "Notes",
  "SMS Opt-In",
];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A 17-character VIN-looking string (check digit not computed). */
function vin(n: number): string {
  const chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  let out = "1HG";
  let x = n * 2654435761;
  for (let i = 0; i < 14; i++) {
    out += chars[x % chars.length];
    x = Math.floor(x / chars.length) + i * 7919;
  }
  return out;
}

/** `rows` data rows of CSV (header first, CRLF line ends) as UTF-8 bytes, 5,000 rows per chunk. */
export function* crmExportCsvChunks(rows: number): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let lines: string[] = [CRM_EXPORT_HEADERS.join(",")];
  for (let i = 0; i < rows; i++) {
    // Every 100th row repeats an earlier customer (same phone, partly different data).
    const n = i % 100 === 99 ? i - 50 : i;
    const [make, model, trim] = VEHICLES[n % VEHICLES.length]!;
    const first = FIRST[n % FIRST.length]!;
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
    const area = AREA_CODES[n % AREA_CODES.length]!;
    // 7-digit subscriber numbers from 200-0000 up: valid NANP numbers, unique per n.
    const sub = String(2_000_000 + n * 7).padStart(7, "0");
    let cell = `(${area}) ${sub.slice(0, 3)}-${sub.slice(3)}`;
    if (i % 97 === 13) cell = "555-12"; // invalid
    const home = i % 4 === 0 ? `${area}-555-${String(n % 10_000).padStart(4, "0")}` : "";
    const month = 1 + (n % 12);
    const day = 1 + (n % 28);
    const cells = [
      `C${100_000 + i}`,
      first,
      i % 50 === 7 ? "" : last,
      i % 37 === 5 ? "" : cell, // no cell: falls back to home phone when present
      home,
      i % 3 === 0 ? "" : `${first}.${last}${n}@example.com`.toLowerCase().replace(/'/g, ""),
      String(2012 + (n % 13)),
      make,
      model,
      i % 5 === 0 ? "" : trim,
      i % 2 === 0 ? vin(n) : "",
      `${month}/${day}/${2019 + (n % 6)}`,
      REPS[n % REPS.length]!,
      SOURCES[n % SOURCES.length]!,
      NOTES[n % NOTES.length]!,
      OPT_IN[n % OPT_IN.length]!,
    ];
    lines.push(cells.map(csvCell).join(","));
    if (lines.length === 5_000 || i === rows - 1) {
      yield encoder.encode(`${lines.join("\r\n")}\r\n`);
      lines = [];
    }
  }
  if (rows === 0) yield encoder.encode(`${lines.join("\r\n")}\r\n`);
}

/** crmExportCsvChunks written to a file a chunk at a time (a large file without a large buffer); returns its size. */
export function writeCrmExportCsv(path: string, rows: number): number {
  const fd = openSync(path, "w", 0o600);
  let size = 0;
  try {
    for (const chunk of crmExportCsvChunks(rows)) size += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return size;
}
