import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { ALL_LEADS_ROLES } from "@/lib/dealerships/memberships";
import { listTeamMembers } from "@/lib/dealerships/team";
import { isLocalStack } from "@/lib/env/server-env";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { getThreadLead, replyRefusal } from "@/lib/inbox/thread-lead";
import { getUserContext } from "@/lib/server/user-context";
import { listConversations, listThreadMessages, markConversationRead } from "@/lib/sms/conversation-queries";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { InboxShell } from "../_components/inbox-shell";
import { ReplyBox } from "../_components/reply-box";
import { ThreadHeader } from "../_components/thread-header";
import { ThreadMessages } from "../_components/thread-messages";

export const metadata: Metadata = { title: "Conversation" };

export default async function InboxThreadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const leadId = z.uuid().safeParse((await params).leadId);
  if (!leadId.success) notFound();
  const { dealershipId, region } = ctx.active;
  const data = await ctx.run(async (tx) => {
    // RLS hides another dealership's lead (and another rep's): the same 404 as a missing one.
    const lead = await getThreadLead(tx, dealershipId, leadId.data);
    if (!lead) return null;
    // Opened means read; done before the fingerprint so the poller does not see its own write.
    if (lead.conversation && (lead.conversation.unreadCount > 0 || lead.conversation.needsAttention)) {
      await markConversationRead(tx, lead.conversation.id);
    }
    return {
      lead,
      messages: await listThreadMessages(tx, dealershipId, lead.id),
      conversations: await listConversations(tx, dealershipId),
      team: await listTeamMembers(tx, dealershipId),
      numbers: await listSendingNumbers(tx, dealershipId),
      version: (await inboxVersion(tx, dealershipId, lead.id))!,
    };
  });
  if (!data) notFound();
  const { lead, messages, conversations, team, numbers, version } = data;
  return (
    <InboxShell conversations={conversations} activeLeadId={lead.id} region={region} version={version} localMode={isLocalStack()}>
      <ThreadHeader lead={lead} team={team} canAssign={ALL_LEADS_ROLES.includes(ctx.active.role)} region={region} />
      <div className="flex-1 rounded-lg bg-slate-100 p-4" data-test="thread">
        <ThreadMessages messages={messages} nameOf={new Map(team.map((m) => [m.userId, m.displayName]))} />
      </div>
      <ReplyBox key={lead.id} leadId={lead.id} refusal={replyRefusal(lead, numbers.length > 0)} />
    </InboxShell>
  );
}
