import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listTeamMembers } from "@/lib/dealerships/team";
import { isLocalStack } from "@/lib/env/server-env";
import { listConversations, listThreadMessages } from "@/lib/inbox/conversation-queries";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { getThreadLead, replyRefusal } from "@/lib/inbox/thread-lead";
import { leadParamsSchema } from "@/lib/leads/lead-params.schema";
import { requireUserPage } from "@/lib/server/require-user-page";
import { listSendingNumbers } from "@/lib/sms/sending-numbers";
import { InboxShell } from "../_components/inbox-shell";
import { MarkThreadRead } from "../_components/mark-thread-read";
import { ReplyBox } from "../_components/reply-box";
import { ThreadHeader } from "../_components/thread-header";
import { ThreadMessages } from "../_components/thread-messages";

export const metadata: Metadata = { title: "Conversation" };

export default async function InboxThreadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const ctx = await requireUserPage({ params: { schema: leadParamsSchema, value: params } });
  const { region } = ctx.active;
  const data = await ctx.run(async (scope) => {
    // RLS hides another dealership's lead (and another rep's): the same 404 as a missing one.
    const lead = await getThreadLead(scope, ctx.params.leadId);
    if (!lead) return null;
    return {
      lead,
      messages: await listThreadMessages(scope, lead.id),
      conversations: await listConversations(scope),
      team: await listTeamMembers(scope),
      numbers: await listSendingNumbers(scope),
      version: (await inboxVersion(scope, lead.id))!,
    };
  });
  if (!data) notFound();
  const { lead, messages, conversations, team, numbers, version } = data;
  const unread = lead.conversation !== null && (lead.conversation.unreadCount > 0 || lead.conversation.needsAttention);
  return (
    <InboxShell
      conversations={conversations}
      activeLeadId={lead.id}
      region={region}
      version={version}
      localMode={isLocalStack()}
    >
      <MarkThreadRead leadId={lead.id} unread={unread} version={version} />
      <ThreadHeader lead={lead} team={team} canAssign={ctx.can("leads.assign")} region={region} />
      <div className="flex-1 rounded-lg bg-slate-100 p-4" data-test="thread">
        <ThreadMessages messages={messages} nameOf={new Map(team.map((m) => [m.userId, m.displayName]))} />
      </div>
      <ReplyBox key={lead.id} leadId={lead.id} refusal={replyRefusal(lead, numbers.length > 0)} />
    </InboxShell>
  );
}
