/**
 * Message bodies are personal data: stored as envelopes bound to (dealership, "messages",
 * "body_enc", message id), so a body copied to another message or dealership fails to decrypt.
 */
import { decryptField, encryptField } from "@/lib/crypto/field-cipher";

const TABLE = "messages";
const COLUMN = "body_enc";

/** Encrypt a body for the message row (dealershipId, messageId). */
export function encryptMessageBody(body: string, dealershipId: string, messageId: string): string {
  return encryptField(body, { dealershipId, table: TABLE, column: COLUMN, rowId: messageId });
}

/** Decrypt a messages.body_enc value; throws DecryptionError if it does not belong to this row. */
export function decryptMessageBody(envelope: string, dealershipId: string, messageId: string): string {
  return decryptField(envelope, { dealershipId, table: TABLE, column: COLUMN, rowId: messageId });
}
