/**
 * Global teardown of the e2e run: the server's whole output (SERVER_LOG_FILE, written by
 * local-stack/run-with-stack.ts) must carry no e-mail address, full phone number, lead name or
 * message body. A finding fails the run, with the offending parts masked in the report.
 */
import fs from "node:fs";
import path from "node:path";
import { markerTexts, scanLogForPii } from "../local-stack/log-scan";
import { SERVER_LOG_FILE } from "../playwright.config";

function specFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? specFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

export default async function scanServerLog() {
  if (!fs.existsSync(SERVER_LOG_FILE)) throw new Error(`log scan: ${SERVER_LOG_FILE} was not written`);
  const text = fs.readFileSync(SERVER_LOG_FILE, "utf8");
  if (!text.includes("auth emulator listening")) throw new Error("log scan: the server log looks empty");
  const bodies = specFiles(import.meta.dirname).flatMap((f) => markerTexts(fs.readFileSync(f, "utf8")));
  const findings = scanLogForPii(text, bodies);
  if (findings.length > 0) {
    const lines = findings.map((f) => `  line ${f.line} (${f.rule}): ${f.excerpt}`).join("\n");
    throw new Error(`The e2e server logged personal data (${SERVER_LOG_FILE}):\n${lines}`);
  }
  console.log(`log scan: ${text.split("\n").length} lines of server output, no personal data`);
}
