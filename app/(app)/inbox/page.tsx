import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { isLocalStack } from "@/lib/env/server-env";
import { getUserContext } from "@/lib/server/user-context";
import { listConversations } from "@/lib/sms/conversation-queries";
import { InboxShell } from "./_components/inbox-shell";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const ctx = await getUserContext();
  if (!ctx) redirect("/login");
  const { dealershipId, region } = ctx.active;
  // RLS: reps get only the conversations of leads assigned to them.
  const { conversations, version } = await ctx.run(async (tx) => ({
    conversations: await listConversations(tx, dealershipId),
    version: (await inboxVersion(tx, dealershipId))!,
  }));
  return (
    <InboxShell conversations={conversations} region={region} version={version} localMode={isLocalStack()}>
      <div className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-slate-300 p-8 text-slate-500" data-test="inbox-pick">
        {conversations.length > 0 ? "Pick a conversation on the left." : "Find a lead on the left to send the first text."}
      </div>
    </InboxShell>
  );
}
