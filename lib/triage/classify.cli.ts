/**
 * npm run -s triage:classify < replies.txt
 * One reply per line on stdin; one JSON object per line on stdout:
 * {"intent": "...", "confidence": 0.0-1.0, "date": "ISO 8601" | null}. Nothing else on stdout.
 * The clock is now and the zone TRIAGE_TIME_ZONE (default America/New_York, the dealerships' default).
 */
import { createInterface } from "node:readline";
import { triageReply } from "./classify-reply";

const timeZone = process.env.TRIAGE_TIME_ZONE || "America/New_York";
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const t = triageReply(line, { now: new Date(), timeZone });
  process.stdout.write(
    `${JSON.stringify({ intent: t.intent, confidence: t.confidence, date: t.date?.iso ?? null })}\n`,
  );
}
