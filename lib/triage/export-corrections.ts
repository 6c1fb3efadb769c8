import "server-only";
/**
 * Staff corrections as training examples: the latest correction of each message, its body
 * decrypted, in the corpus's JSON Lines shape ({"text", "intent", "lang"}), for
 * `npm run triage:train -- --corrections file.jsonl`. Runs as the NOLOGIN triage_exporter role,
 * which may execute only private.export_triage_corrections. The output holds what leads wrote:
 * personal data, to be reviewed and kept out of the repository.
 */
import { withService } from "@/lib/db/scope";
import { decryptMessageBody } from "@/lib/sms/message-body";
import type { LabelledReply } from "./corpus/labelled-replies";
import { intentSchema } from "./intents";
import { tokenizeReply } from "./text-features";

/** Every correction as a labelled reply (oldest message first). */
export async function exportTriageCorrections(): Promise<LabelledReply[]> {
  return withService("triage_exporter", async ({ sql }) => {
    const rows = await sql<{ dealership_id: string; message_id: string; body_enc: string; intent: string }[]>`
      select * from private.export_triage_corrections() order by corrected_at, message_id`;
    return rows
      .map((r) => ({ text: decryptMessageBody(r.body_enc, r.dealership_id, r.message_id).trim(), intent: r.intent }))
      .filter((r) => r.text.length > 0)
      .map((r) => ({
        text: r.text.slice(0, 1600),
        intent: intentSchema.parse(r.intent),
        lang: tokenizeReply(r.text).language,
      }));
  });
}
