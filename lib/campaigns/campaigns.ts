/**
 * Campaign commands for signed-in users: create a draft, launch it (now or at a time), pause,
 * resume and cancel. Each is one definer function in the database that checks campaigns.manage,
 * re-validates what it is given and writes the audit row; this module validates the input first
 * (zod, errors keyed by form field) and applies the launch rate limit (3 a minute per dealership).
 *
 * Idempotency: the composer generates a key when it renders. createCampaign with a key already
 * used in the dealership returns that campaign, and launchCampaign with the key of a launch that
 * happened returns that launch's result (alreadyLaunched: true) without enqueuing anything, so a
 * double click or a resubmitted form never launches twice (a unique constraint holds it).
 */
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import type { UserScope } from "@/lib/db/scope";
import { AppError } from "@/lib/server/app-error";
import { enforceRateLimit } from "@/lib/rate-limit/rate-limit";
import { parseAudience, exclusionCounts, campaignAudienceSchema, type ExclusionReason } from "./audience";
import { idempotencyKeySchema, parseInput, refusalAsAppError } from "./campaign-input";
import { messageTemplateSchema } from "./message-template";

export type CampaignStatus = "draft" | "scheduled" | "sending" | "paused" | "completed" | "canceled";

/** What the composer submits to create a draft. */
export const createCampaignInputSchema = z.object({
  name: z.string().trim().min(1, "Name the campaign").max(120, "Keep the name under 120 characters"),
  sendingNumberId: z.uuid("Pick a sending number"),
  template: messageTemplateSchema,
  audience: campaignAudienceSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});
export type CreateCampaignInput = z.input<typeof createCampaignInputSchema>;

/** How far ahead a launch can be scheduled. */
export const MAX_SCHEDULE_DAYS = 90;

/** What a launch submits. A scheduledAt in the past (or none) launches now. */
export const launchCampaignInputSchema = z.object({
  campaignId: z.uuid("Unknown campaign"),
  idempotencyKey: idempotencyKeySchema,
  scheduledAt: z.coerce
    .date("Pick a date and time")
    .refine((d) => d.getTime() <= Date.now() + MAX_SCHEDULE_DAYS * 86_400_000, {
      message: `Schedule at most ${MAX_SCHEDULE_DAYS} days ahead`,
    })
    .nullish(),
});
export type LaunchCampaignInput = z.input<typeof launchCampaignInputSchema>;

/** What a launch did (or, for a repeated key, what the first launch did). */
export interface LaunchResult {
  enqueued: number;
  excluded: Record<ExclusionReason, number>;
  /** True when this key had launched the campaign already: nothing was enqueued now. */
  alreadyLaunched: boolean;
  status: CampaignStatus;
}

/** Create a draft campaign in the scope's dealership; a repeated idempotency key returns the first one. */
export async function createCampaign(scope: UserScope, input: CreateCampaignInput): Promise<{ id: string }> {
  const c = parseInput(createCampaignInputSchema, input);
  const audience = parseAudience(c.audience);
  const [row] = await scope.sql<{ id: string }[]>`
    select public.create_campaign(${scope.dealershipId}, ${c.name}, ${c.sendingNumberId}, ${c.template},
      ${scope.sql.json(audience)}, ${c.idempotencyKey ?? null}) as id`.catch((err: unknown) => {
    throw refusalAsAppError(err);
  });
  return { id: row!.id };
}

/**
 * Launch a draft: enqueue its audience and start now, or at scheduledAt. At most 3 launches a
 * minute per dealership (RATE_LIMITS.campaignLaunch); repeating a launch with its key is free.
 */
export async function launchCampaign(scope: UserScope, input: LaunchCampaignInput): Promise<LaunchResult> {
  const l = parseInput(launchCampaignInputSchema, input);
  const { sql, dealershipId } = scope;
  // Before the rate limit: someone who may not launch must not use up the dealership's launches.
  if (!can(scope.actor, "campaigns.manage")) throw new AppError("forbidden", "You do not have permission to do that.");
  const [existing] = await sql<{ launched: boolean }[]>`
    select launched_at is not null and idempotency_key = ${l.idempotencyKey} as launched
    from public.campaigns where dealership_id = ${dealershipId} and id = ${l.campaignId}`;
  if (!existing?.launched) await enforceRateLimit("campaignLaunch", `dealership:${dealershipId}`);
  const [row] = await sql<
    { enqueued: number; excluded: Record<string, number>; already_launched: boolean; status: CampaignStatus }[]
  >`select * from public.launch_campaign(${l.campaignId}, ${l.idempotencyKey}, ${l.scheduledAt ?? null})`.catch(
    (err: unknown) => {
      throw refusalAsAppError(err);
    },
  );
  return {
    enqueued: row!.enqueued,
    excluded: exclusionCounts(row!.excluded),
    alreadyLaunched: row!.already_launched,
    status: row!.status,
  };
}

const campaignIdSchema = z.uuid("Unknown campaign");

async function transition(scope: UserScope, fn: "pause" | "resume" | "cancel", campaignId: string) {
  const id = parseInput(campaignIdSchema, campaignId);
  const [row] = await scope.sql<{ status: CampaignStatus }[]>`
    select ${scope.sql.unsafe(`public.${fn}_campaign`)}(${id}) as status`.catch((err: unknown) => {
    throw refusalAsAppError(err);
  });
  return { status: row!.status };
}

/** Pause a scheduled or sending campaign (no new message is written for Twilio); repeating is a no-op. */
export function pauseCampaign(scope: UserScope, campaignId: string): Promise<{ status: CampaignStatus }> {
  return transition(scope, "pause", campaignId);
}

/** Resume a paused campaign (scheduled again if its time is still ahead); clears the pause reason. */
export function resumeCampaign(scope: UserScope, campaignId: string): Promise<{ status: CampaignStatus }> {
  return transition(scope, "resume", campaignId);
}

/** Cancel a campaign that has not completed: its queued messages are never sent. */
export function cancelCampaign(scope: UserScope, campaignId: string): Promise<{ status: CampaignStatus }> {
  return transition(scope, "cancel", campaignId);
}
