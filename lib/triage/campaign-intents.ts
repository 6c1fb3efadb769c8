/**
 * A campaign's replies broken down by intent, for the campaign page: how many replies of each
 * intent it drew, and how many leads answered for real (auto-replies left out, as in the reply
 * rate, which the triage keeps free of them). RLS applies: reps count their own leads' replies.
 */
import type { UserScope } from "@/lib/db/scope";
import { INTENTS, type Intent } from "./intents";

/** Replies of one campaign by intent ("untriaged": replies stored before triage existed). */
export interface CampaignIntentBreakdown {
  byIntent: { intent: Intent | "untriaged"; replies: number; leads: number }[];
  autoReplies: number;
}

/** The replies to a campaign by intent, in intent priority order, empty intents left out. */
export async function campaignRepliesByIntent(
  { sql, dealershipId }: UserScope,
  campaignId: string,
): Promise<CampaignIntentBreakdown> {
  const rows = await sql<{ intent: Intent | null; replies: number; leads: number }[]>`
    select m.intent, count(*)::int as replies, count(distinct m.lead_id)::int as leads
    from public.messages m
    where m.dealership_id = ${dealershipId} and m.campaign_id = ${campaignId} and m.direction = 'inbound'
    group by m.intent`;
  const order = (i: Intent | "untriaged") => (i === "untriaged" ? INTENTS.length : INTENTS.indexOf(i));
  const byIntent = rows
    .map((r) => ({ intent: r.intent ?? ("untriaged" as const), replies: r.replies, leads: r.leads }))
    .sort((a, b) => order(a.intent) - order(b.intent));
  return { byIntent, autoReplies: rows.find((r) => r.intent === "auto_reply")?.replies ?? 0 };
}
