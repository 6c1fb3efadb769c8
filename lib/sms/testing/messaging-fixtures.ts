/**
 * Test fixtures for messaging, written as the database superuser (the platform's view): sending
 * numbers and inbound messages stored through the same definer function the webhook uses, with
 * unique numbers and sids so test files never collide.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { blindIndex } from "../../crypto/blind-index";
import { encryptLeadPii } from "../../leads/lead-fields";
import { encryptMessageBody } from "../message-body";

/** A fresh message sid. */
export function testMessageSid(): string {
  return `SM${randomBytes(16).toString("hex")}`;
}

/** A unique business number for a sending number (format-valid E.164). */
export function testSendingNumber(): string {
  return `+1555${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;
}

/** A unique, libphonenumber-valid US mobile-style number for a lead. */
export function testLeadPhone(): string {
  return `+1312${String(randomInt(2_000_000, 10_000_000))}`;
}

/** Register a sending number for the dealership; returns its id and number. */
export async function createSendingNumber(
  sql: Sql,
  dealershipId: string,
  phone = testSendingNumber(),
): Promise<{ id: string; phone: string }> {
  const [row] = await sql<
    { id: string }[]
  >`insert into public.sending_numbers (dealership_id, phone_number) values (${dealershipId}, ${phone}) returning id`;
  return { id: row!.id, phone };
}

/** Store an inbound SMS via private.record_inbound_message (as the webhook would). */
export async function seedInboundMessage(
  sql: Sql,
  dealershipId: string,
  input: { sendingNumberId: string; from: string; body: string; sid?: string; consentAction?: string },
): Promise<{ messageId: string; leadId: string; conversationId: string }> {
  const messageId = randomUUID();
  const newLeadId = randomUUID();
  const [row] = await sql<{ message_id: string; lead_id: string; conversation_id: string }[]>`
    select * from private.record_inbound_message(
      ${input.sendingNumberId}, ${messageId}, ${input.sid ?? testMessageSid()},
      ${encryptMessageBody(input.body, dealershipId, messageId)}, 1, 0,
      ${blindIndex("phone", input.from, dealershipId)}, ${newLeadId},
      ${encryptLeadPii({ phone: input.from }, dealershipId, newLeadId).pii_enc},
      ${input.consentAction ?? "none"}, 'fixture', false)`;
  return { messageId: row!.message_id, leadId: row!.lead_id, conversationId: row!.conversation_id };
}
