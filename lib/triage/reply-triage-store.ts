/**
 * The inbox's side of reply triage, in the user's RLS-scoped transaction: what a thread needs to
 * show the intent's consequences and suggest an answer, the one-click correction (a definer
 * function that records the training example and undoes or redoes the automatic action), the
 * confirmation of a proposed appointment, and the dealership's answer templates.
 */
import type { UserScope } from "@/lib/db/scope";
import { decryptLeadPiiPerField } from "@/lib/leads/lead-fields";
import type { Intent } from "./intents";

/** The triage facts of one thread's lead and dealership. */
export interface ThreadTriage {
  timeZone: string;
  dealershipName: string;
  firstName: string | null;
  lastName: string | null;
  followUpAt: Date | null;
  appointmentAt: Date | null;
  campaignSuppression: "wrong_number" | "already_bought" | null;
  /** The dealership's own answer templates by intent. */
  templates: Map<Intent, { body: string; autoSend: boolean }>;
}

/** Triage facts for the thread with a lead (null when the user cannot see the lead). */
export async function getThreadTriage(scope: UserScope, leadId: string): Promise<ThreadTriage | null> {
  const [lead] = await scope.sql<
    {
      timezone: string;
      name: string;
      pii_enc: string | null;
      first_name_enc: string | null;
      last_name_enc: string | null;
      follow_up_at: Date | null;
      appointment_at: Date | null;
      campaign_suppression: ThreadTriage["campaignSuppression"];
    }[]
  >`
    select d.timezone, d.name, l.pii_enc, l.first_name_enc, l.last_name_enc, l.follow_up_at, l.appointment_at, l.campaign_suppression
    from public.leads l join public.dealerships d on d.id = l.dealership_id
    where l.dealership_id = ${scope.dealershipId} and l.id = ${leadId}`;
  if (!lead) return null;
  const { pii } = decryptLeadPiiPerField({
    id: leadId,
    dealership_id: scope.dealershipId,
    pii_enc: lead.pii_enc,
    first_name_enc: lead.first_name_enc,
    last_name_enc: lead.last_name_enc,
  });
  const templates = await listReplyTemplates(scope);
  return {
    timeZone: lead.timezone,
    dealershipName: lead.name,
    firstName: pii.firstName ?? null,
    lastName: pii.lastName ?? null,
    followUpAt: lead.follow_up_at,
    appointmentAt: lead.appointment_at,
    campaignSuppression: lead.campaign_suppression,
    templates,
  };
}

/** The dealership's answer templates (every member reads them). */
export async function listReplyTemplates({
  sql,
  dealershipId,
}: UserScope): Promise<Map<Intent, { body: string; autoSend: boolean }>> {
  const rows = await sql<{ intent: Intent; body: string; auto_send: boolean }[]>`
    select intent, body, auto_send from public.reply_templates where dealership_id = ${dealershipId}`;
  return new Map(rows.map((r) => [r.intent, { body: r.body, autoSend: r.auto_send }]));
}

/** Write (or replace) the dealership's template for an intent; RLS: dealership.settings only. */
export async function saveReplyTemplate(
  { sql, dealershipId, actor }: UserScope,
  input: { intent: Intent; body: string; autoSend: boolean },
): Promise<void> {
  await sql`
    insert into public.reply_templates (dealership_id, intent, body, auto_send, updated_by)
    values (${dealershipId}, ${input.intent}, ${input.body}, ${input.autoSend}, ${actor.userId})
    on conflict (dealership_id, intent) do update
      set body = excluded.body, auto_send = excluded.auto_send, updated_by = excluded.updated_by`;
}

/** Go back to the default answer for an intent. */
export async function deleteReplyTemplate({ sql, dealershipId }: UserScope, intent: Intent): Promise<void> {
  await sql`delete from public.reply_templates where dealership_id = ${dealershipId} and intent = ${intent}`;
}

/** Whether the dealership uses the operator's LLM for triage. */
export async function isTriageLlmEnabled({ sql, dealershipId }: UserScope): Promise<boolean> {
  const [d] = await sql<{ triage_llm_enabled: boolean }[]>`
    select triage_llm_enabled from public.dealerships where id = ${dealershipId}`;
  return d?.triage_llm_enabled ?? false;
}

/** Turn the LLM on or off for the dealership (RLS: dealership.settings only). */
export async function setTriageLlmEnabled({ sql, dealershipId }: UserScope, enabled: boolean): Promise<void> {
  await sql`update public.dealerships set triage_llm_enabled = ${enabled} where id = ${dealershipId}`;
}

/** Correct a reply's intent (one click in the thread); the database keeps it as a training example. */
export async function correctReplyIntent({ sql }: UserScope, messageId: string, intent: Intent): Promise<void> {
  await sql`select public.correct_reply_intent(${messageId}, ${intent})`;
}

/** Confirm the visit an appointment reply proposed. */
export async function confirmProposedAppointment({ sql }: UserScope, messageId: string): Promise<void> {
  await sql`select public.confirm_proposed_appointment(${messageId})`;
}
