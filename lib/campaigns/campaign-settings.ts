/**
 * The dealership's campaign settings (public.dealership_campaign_settings, one row per dealership,
 * created with it): the opt-out footer, the opt-in requirement, how recently texted leads are left
 * out, the frequency cap across campaigns, the daily cap, the per-number rate, the dealership's own
 * sending hours and the auto-pause thresholds. Every member reads them (campaigns.view); owners
 * and admins change them (campaigns.settings; RLS and column grants decide, the database audits).
 */
import { z } from "zod";
import type { Scope, UserScope } from "@/lib/db/scope";
import { AppError } from "@/lib/server/app-error";
import { parseInput } from "./campaign-input";
import { DEFAULT_OPT_OUT_FOOTER, optOutFooterSchema } from "./message-template";
import { dealershipSendHoursSchema, type DealershipSendHours } from "./send-window";
import { autoPauseThresholdsSchema, DEFAULT_AUTO_PAUSE_THRESHOLDS, type AutoPauseThresholds } from "./twilio-errors";

/** A dealership's campaign settings, with the defaults filled in. */
export interface CampaignSettings {
  optOutFooter: string;
  requireOptIn: boolean;
  recentTextDays: number;
  frequencyCap: { maxMessages: number; periodDays: number };
  dailySendCap: number;
  perNumberPerSecond: number;
  sendHours: DealershipSendHours | null;
  autoPause: AutoPauseThresholds;
}

/** The settings a form may change; omitted keys stay as they are. */
export const campaignSettingsInputSchema = z
  .object({
    optOutFooter: optOutFooterSchema,
    requireOptIn: z.boolean(),
    recentTextDays: z.number().int().min(0).max(365),
    frequencyCap: z.object({
      maxMessages: z.number().int().min(1, "Allow at least one message").max(100),
      periodDays: z.number().int().min(1).max(90, "The period can be at most 90 days"),
    }),
    dailySendCap: z.number().int().min(1).max(1_000_000),
    perNumberPerSecond: z.number().positive().max(1000),
    sendHours: dealershipSendHoursSchema.nullable(),
    autoPause: autoPauseThresholdsSchema.partial().nullable(),
  })
  .partial()
  .strict();
export type CampaignSettingsInput = z.infer<typeof campaignSettingsInputSchema>;

/** A settings row as the database holds it. */
export interface CampaignSettingsRow {
  opt_out_footer: string;
  require_opt_in: boolean;
  recent_text_days: number;
  frequency_cap_messages: number;
  frequency_cap_days: number;
  daily_send_cap: number;
  per_number_per_second: string | number;
  send_hours: unknown;
  auto_pause: unknown;
}

/** Stored JSON the app no longer accepts falls back to the default instead of failing a send. */
function parseOr<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  if (value == null) return fallback;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

/** The auto-pause thresholds a stored (partial) setting means. */
export function autoPauseThresholdsOf(stored: unknown): AutoPauseThresholds {
  return { ...DEFAULT_AUTO_PAUSE_THRESHOLDS, ...parseOr(autoPauseThresholdsSchema.partial(), stored, {}) };
}

/** A settings row as settings (shared with the send worker, which reads the row through its own function). */
export function campaignSettingsFromRow(row: CampaignSettingsRow | undefined): CampaignSettings {
  if (!row) {
    return {
      optOutFooter: DEFAULT_OPT_OUT_FOOTER,
      requireOptIn: false,
      recentTextDays: 7,
      frequencyCap: { maxMessages: 1, periodDays: 7 },
      dailySendCap: 2000,
      perNumberPerSecond: 1,
      sendHours: null,
      autoPause: DEFAULT_AUTO_PAUSE_THRESHOLDS,
    };
  }
  return {
    optOutFooter: row.opt_out_footer,
    requireOptIn: row.require_opt_in,
    recentTextDays: row.recent_text_days,
    frequencyCap: { maxMessages: row.frequency_cap_messages, periodDays: row.frequency_cap_days },
    dailySendCap: row.daily_send_cap,
    perNumberPerSecond: Number(row.per_number_per_second),
    sendHours: parseOr(dealershipSendHoursSchema, row.send_hours, null),
    autoPause: autoPauseThresholdsOf(row.auto_pause),
  };
}

/** The scope's dealership's campaign settings (defaults where nothing is set). */
export async function getCampaignSettings({ sql, dealershipId }: Scope): Promise<CampaignSettings> {
  const [row] = await sql<CampaignSettingsRow[]>`
    select opt_out_footer, require_opt_in, recent_text_days, frequency_cap_messages, frequency_cap_days,
           daily_send_cap, per_number_per_second, send_hours, auto_pause
    from public.dealership_campaign_settings where dealership_id = ${dealershipId}`;
  return campaignSettingsFromRow(row);
}

/** Change some settings (owners and admins; the database refuses anyone else). Returns the result. */
export async function updateCampaignSettings(
  scope: UserScope,
  input: CampaignSettingsInput,
): Promise<CampaignSettings> {
  const s = parseInput(campaignSettingsInputSchema, input);
  const set: Record<string, unknown> = { updated_by: scope.actor.userId };
  if (s.optOutFooter !== undefined) set.opt_out_footer = s.optOutFooter;
  if (s.requireOptIn !== undefined) set.require_opt_in = s.requireOptIn;
  if (s.recentTextDays !== undefined) set.recent_text_days = s.recentTextDays;
  if (s.frequencyCap !== undefined) {
    set.frequency_cap_messages = s.frequencyCap.maxMessages;
    set.frequency_cap_days = s.frequencyCap.periodDays;
  }
  if (s.dailySendCap !== undefined) set.daily_send_cap = s.dailySendCap;
  if (s.perNumberPerSecond !== undefined) set.per_number_per_second = s.perNumberPerSecond;
  if (s.sendHours !== undefined) set.send_hours = s.sendHours === null ? null : scope.sql.json(s.sendHours);
  if (s.autoPause !== undefined) set.auto_pause = s.autoPause === null ? null : scope.sql.json(s.autoPause);
  const updated = await scope.sql`
    update public.dealership_campaign_settings set ${scope.sql(set)}
    where dealership_id = ${scope.dealershipId} returning 1`;
  if (updated.count === 0) throw new AppError("forbidden", "Only owners and admins change campaign settings.");
  return getCampaignSettings(scope);
}
