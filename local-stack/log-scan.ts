/**
 * The "logs carry no personal data" check: scans captured server output for anything that looks
 * like an e-mail address, a full phone number, a demo lead's full name, or a message body the
 * specs sent. Used by the e2e run's global teardown (e2e/log-scan.teardown.ts) on the log of the
 * server it ran against; local-stack/log-scan.test.ts proves each rule fires.
 */
import { DEMO_DEALERSHIPS } from "./seed/demo";
import { demoLeads } from "./seed/demo-data";

/** One line that carries something it must not. */
export interface LogFinding {
  line: number;
  rule: "email" | "phone" | "lead_name" | "message_body";
  /** The line with the offending part masked, so the report does not repeat it. */
  excerpt: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// E.164 (+1 and 10 digits, or any +CC number), and the usual US spellings of a full number.
const PHONE = /\+[1-9]\d{9,14}\b|\(\d{3}\)\s?\d{3}-\d{4}\b|\b\d{3}[-.]\d{3}[-.]\d{4}\b/g;

/** Every demo lead's full name ("First Last"), as the seed creates them. */
export function demoLeadNames(): string[] {
  const names = new Set<string>();
  for (const d of DEMO_DEALERSHIPS) {
    for (const lead of demoLeads(50, d.areaCode, d.seed)) {
      const full = [lead.pii.firstName, lead.pii.lastName].filter(Boolean).join(" ");
      if (full.includes(" ")) names.add(full);
    }
  }
  return [...names];
}

/** Scan log text; `bodies` are message texts (or their fixed parts) that must never appear. */
export function scanLogForPii(text: string, bodies: string[] = [], names: string[] = demoLeadNames()): LogFinding[] {
  const findings: LogFinding[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    const mask = (re: RegExp | string) =>
      raw
        .replace(typeof re === "string" ? new RegExp(re.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g") : re, "«…»")
        .slice(0, 200);
    if (raw.match(EMAIL)) findings.push({ line, rule: "email", excerpt: mask(EMAIL) });
    if (raw.match(PHONE)) findings.push({ line, rule: "phone", excerpt: mask(PHONE) });
    for (const name of names) if (raw.includes(name)) findings.push({ line, rule: "lead_name", excerpt: mask(name) });
    for (const body of bodies) {
      if (body.length >= 8 && raw.includes(body)) findings.push({ line, rule: "message_body", excerpt: mask(body) });
    }
  });
  return findings;
}

/** The fixed texts the e2e specs send as messages (`marker("...")` labels) in a spec's source. */
export function markerTexts(specSource: string): string[] {
  return [...specSource.matchAll(/marker\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!);
}
