/**
 * A campaign's audience: a filter over the dealership's leads (ids and codes only, never personal
 * data), its live count with the leads left out by reason, and a preview of the message for a few
 * real leads. The database decides who is in and why not (private.campaign_audience), the same
 * function the launch enqueues from, so the count the composer shows is the count that launches.
 *
 * Each left-out lead is counted under the first reason that applies, in EXCLUSION_REASONS order:
 * legal suppressions first (opted out, do not contact, a reply that said wrong number or bought
 * elsewhere, no consent where the dealership requires opt-in), then what Twilio told us about the number, then courtesy (already in an active
 * campaign, in an open conversation, texted recently).
 */
import { z } from "zod";
import type { UserScope } from "@/lib/db/scope";
import { LEAD_SUMMARY_COLUMNS, toLeadSummaries, type LeadSummaryRow } from "@/lib/leads/lead-queries";
import { CONSENT_STATUSES, LEAD_STATUSES } from "@/lib/leads/lead-status";
import { AppError } from "@/lib/server/app-error";
import type { SegmentCount } from "@/lib/sms/segments";
import { getCampaignSettings } from "./campaign-settings";
import { invalidInput, refusalAsAppError } from "./campaign-input";
import { mergeValuesFor } from "./merge-values";
import { parseTemplate, renderTemplate, type MergeField } from "./message-template";

/** Why a lead of the audience is left out, in the order the reasons are tried. */
export const EXCLUSION_REASONS = [
  "opted_out",
  "do_not_contact",
  "reply_suppressed",
  "no_consent",
  "invalid_phone",
  "landline",
  "active_campaign",
  "open_conversation",
  "recent_text",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** How each reason reads in the UI. */
export const EXCLUSION_REASON_LABELS: Record<ExclusionReason, string> = {
  opted_out: "Opted out",
  do_not_contact: "On the do-not-contact list",
  reply_suppressed: "Replied wrong number or bought elsewhere",
  no_consent: "No opt-in (your dealership requires one)",
  invalid_phone: "No valid mobile number",
  landline: "Landline",
  active_campaign: "Already in an active campaign",
  open_conversation: "In an open conversation",
  recent_text: "Texted recently",
};

/**
 * The audience filter: lead statuses (none = all), a lead source (its opaque id), consent, no
 * activity in the last N days, the assigned rep ("none" = unassigned), a given import. All optional.
 */
export const campaignAudienceSchema = z
  .object({
    status: z.array(z.enum(LEAD_STATUSES)).max(LEAD_STATUSES.length).default([]),
    sourceId: z.uuid("Pick a lead source").optional(),
    consent: z.enum(CONSENT_STATUSES).optional(),
    inactiveDays: z.coerce
      .number()
      .int("Use whole days")
      .min(1, "At least one day")
      .max(3650, "At most 3,650 days")
      .optional(),
    assignedTo: z.union([z.literal("none"), z.uuid("Pick a team member")]).optional(),
    importId: z.uuid("Pick an import").optional(),
  })
  .strict();
/** An audience filter as a form gives it (status may be left out). */
export type CampaignAudience = z.input<typeof campaignAudienceSchema>;

/** The live count: leads that can be texted, and the others by reason. */
export interface AudienceCount {
  eligible: number;
  excluded: Record<ExclusionReason, number>;
}

/** Counts by reason with every reason present (0 when none). */
export function exclusionCounts(byReason: Partial<Record<string, number>>): Record<ExclusionReason, number> {
  return Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, byReason[r] ?? 0])) as Record<ExclusionReason, number>;
}

/** Validate an audience filter, or throw invalid_input with the field errors under `audience`. */
export function parseAudience(audience: unknown): z.output<typeof campaignAudienceSchema> {
  const parsed = campaignAudienceSchema.safeParse(audience ?? {});
  if (!parsed.success) throw invalidInput(parsed.error, "audience");
  return parsed.data;
}

/** How many leads of the scope's dealership the filter reaches, and how many are left out, by reason. */
export async function countAudience(scope: UserScope, audience: CampaignAudience): Promise<AudienceCount> {
  const filter = parseAudience(audience);
  const rows = await scope.sql<{ reason: string | null; leads: number }[]>`
    select reason, leads from public.campaign_audience_counts(${scope.dealershipId}, ${scope.sql.json(filter)})`.catch(
    (err: unknown) => {
      throw refusalAsAppError(err);
    },
  );
  let eligible = 0;
  const byReason: Record<string, number> = {};
  for (const r of rows) {
    if (r.reason === null) eligible = r.leads;
    else byReason[r.reason] = r.leads;
  }
  return { eligible, excluded: exclusionCounts(byReason) };
}

/** The message as one lead of the audience would get it. */
export interface AudiencePreview {
  leadId: string;
  body: string;
  segments: SegmentCount;
  /** The lead has never received a message from the dealership: the opt-out footer is added. */
  firstMessage: boolean;
  footerAdded: boolean;
  usedFallbacks: MergeField[];
  omittedFields: MergeField[];
  tooLong: boolean;
}

/**
 * The template rendered for up to `limit` (at most 20) leads the campaign would text, decrypted
 * on the server for the user (RLS: only leads they may see). Throws invalid_input for a template
 * with errors.
 */
export async function previewAudience(
  scope: UserScope,
  audience: CampaignAudience,
  template: string,
  limit = 5,
): Promise<AudiencePreview[]> {
  const filter = parseAudience(audience);
  const parsed = parseTemplate(template);
  if (!parsed.ok) {
    throw new AppError("invalid_input", "Please correct the message.", {
      template: parsed.errors.map((e) => e.message),
    });
  }
  const { sql, dealershipId } = scope;
  const sample = await sql<{ lead_id: string; first_message: boolean }[]>`
    select lead_id, first_message from public.campaign_audience_sample(${dealershipId}, ${sql.json(filter)}, ${limit})`.catch(
    (err: unknown) => {
      throw refusalAsAppError(err);
    },
  );
  if (sample.length === 0) return [];
  const ids = sample.map((s) => s.lead_id);
  const [rows, [dealership], members, settings] = await Promise.all([
    sql<LeadSummaryRow[]>`
      select ${sql.unsafe(LEAD_SUMMARY_COLUMNS)} from public.leads
      where dealership_id = ${dealershipId} and id in ${sql(ids)}`,
    sql<{ name: string }[]>`select name from public.dealerships where id = ${dealershipId}`,
    sql<{ user_id: string; display_name: string }[]>`
      select user_id, display_name from public.dealership_members(${dealershipId})`,
    getCampaignSettings(scope),
  ]);
  const leads = new Map((await toLeadSummaries(scope, rows)).map((l) => [l.id, l]));
  const repNames = new Map(members.map((m) => [m.user_id, m.display_name]));
  const out: AudiencePreview[] = [];
  for (const s of sample) {
    const lead = leads.get(s.lead_id);
    if (!lead) continue; // not visible to this user
    const rendered = renderTemplate(
      parsed.template,
      mergeValuesFor(
        lead.pii,
        dealership?.name ?? null,
        lead.assignedTo ? (repNames.get(lead.assignedTo) ?? null) : null,
      ),
      { firstMessage: s.first_message, optOutFooter: settings.optOutFooter },
    );
    out.push({
      leadId: s.lead_id,
      body: rendered.body,
      segments: rendered.segments,
      firstMessage: s.first_message,
      footerAdded: rendered.footerAdded,
      usedFallbacks: rendered.usedFallbacks,
      omittedFields: rendered.omittedFields,
      tooLong: rendered.tooLong,
    });
  }
  return out;
}
