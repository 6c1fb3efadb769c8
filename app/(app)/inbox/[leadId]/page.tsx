import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listTeamMembers } from "@/lib/dealerships/team";
import { isLocalStack } from "@/lib/env/server-env";
import { listConversations, listThreadMessages } from "@/lib/inbox/conversation-queries";
import { inboxFilterFrom } from "@/lib/inbox/inbox.schema";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { getThreadLead, replyRefusal } from "@/lib/inbox/thread-lead";
import { leadParamsSchema } from "@/lib/leads/lead-params.schema";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { INTENT_LABELS } from "@/lib/triage/intents";
import { getThreadTriage } from "@/lib/triage/reply-triage-store";
import { formatReplyDate, suggestReply } from "@/lib/triage/suggested-replies";
import { tokenizeReply } from "@/lib/triage/text-features";
import { InboxShell } from "../_components/inbox-shell";
import { MarkThreadRead } from "../_components/mark-thread-read";
import { ReplyBox } from "../_components/reply-box";
import { ThreadHeader } from "../_components/thread-header";
import { ThreadMessages } from "../_components/thread-messages";

export const metadata: Metadata = { title: "Conversation" };

export default async function InboxThreadPage({
  params,
  searchParams,
}: {
  params: Promise<{ leadId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireUserPage({ params: { schema: leadParamsSchema, value: params } });
  const { region } = ctx.active;
  const filter = inboxFilterFrom(await searchParams);
  const data = await ctx.run(async (scope) => {
    // RLS hides another dealership's lead (and another rep's): the same 404 as a missing one.
    const lead = await getThreadLead(scope, ctx.params.leadId);
    if (!lead) return null;
    return {
      lead,
      messages: await listThreadMessages(scope, lead.id),
      triage: (await getThreadTriage(scope, lead.id))!,
      conversations: await listConversations(scope, filter),
      team: await listTeamMembers(scope),
      numbers: await listSendingNumbers(scope),
      version: (await inboxVersion(scope, lead.id))!,
    };
  });
  if (!data) notFound();
  const { lead, messages, triage, conversations, team, numbers, version } = data;
  // The suggested answer follows the lead's latest reply (never sent unless staff send it).
  const latest = messages.findLast((m) => m.direction === "inbound");
  const suggestionText = latest?.intent
    ? suggestReply({
        intent: latest.intent,
        language: tokenizeReply(latest.body).language,
        dealershipTemplate: triage.templates.get(latest.intent)?.body ?? null,
        values: {
          first_name: triage.firstName,
          last_name: triage.lastName,
          dealer_name: triage.dealershipName,
          rep_name: team.find((m) => m.userId === ctx.claims.sub)?.displayName ?? null,
          date: latest.intentDate ? formatReplyDate(latest.intentDate, triage.timeZone) : null,
        },
      })
    : null;
  const unread = lead.conversation !== null && (lead.conversation.unreadCount > 0 || lead.conversation.needsAttention);
  return (
    <InboxShell
      conversations={conversations}
      activeLeadId={lead.id}
      region={region}
      version={version}
      localMode={isLocalStack()}
      filter={filter}
    >
      <MarkThreadRead leadId={lead.id} unread={unread} version={version} />
      <ThreadHeader lead={lead} team={team} canAssign={ctx.can("leads.assign")} region={region} />
      {triage.followUpAt || triage.appointmentAt || triage.campaignSuppression ? (
        <p className="flex flex-wrap gap-3 text-sm text-slate-700" data-test="thread-triage-facts">
          {triage.followUpAt ? (
            <span data-test="thread-follow-up">Follow up: {formatReplyDate(triage.followUpAt, triage.timeZone)}</span>
          ) : null}
          {triage.appointmentAt ? (
            <span data-test="thread-appointment">
              Appointment: {formatReplyDate(triage.appointmentAt, triage.timeZone)}
            </span>
          ) : null}
          {triage.campaignSuppression ? (
            <span className="rounded bg-slate-200 px-1.5" data-test="thread-suppressed">
              {triage.campaignSuppression === "wrong_number" ? "Wrong number" : "Bought elsewhere"}: left out of
              campaigns
            </span>
          ) : null}
        </p>
      ) : null}
      <div className="flex-1 rounded-lg bg-slate-100 p-4" data-test="thread">
        <ThreadMessages
          messages={messages}
          nameOf={new Map(team.map((m) => [m.userId, m.displayName]))}
          triage={{
            leadId: lead.id,
            timeZone: triage.timeZone,
            appointmentAt: triage.appointmentAt,
            canCorrect: ctx.can("conversations.reply"),
          }}
        />
      </div>
      <ReplyBox
        key={lead.id}
        leadId={lead.id}
        refusal={replyRefusal(lead, numbers.length > 0)}
        suggestion={
          suggestionText && latest?.intent ? { text: suggestionText, label: INTENT_LABELS[latest.intent] } : null
        }
      />
    </InboxShell>
  );
}
