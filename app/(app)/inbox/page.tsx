import type { Metadata } from "next";
import { isLocalStack } from "@/lib/env/server-env";
import { listConversations } from "@/lib/inbox/conversation-queries";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { requireUserPage } from "@/lib/server/require-user-page";
import { InboxShell } from "./_components/inbox-shell";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const ctx = await requireUserPage();
  // RLS: reps get only the conversations of leads assigned to them.
  const { conversations, version } = await ctx.run(async (scope) => ({
    conversations: await listConversations(scope),
    version: (await inboxVersion(scope))!,
  }));
  return (
    <InboxShell conversations={conversations} region={ctx.active.region} version={version} localMode={isLocalStack()}>
      <div
        className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-slate-300 p-8 text-slate-500"
        data-test="inbox-pick"
      >
        {conversations.length > 0
          ? "Pick a conversation on the left."
          : "Find a lead on the left to send the first text."}
      </div>
    </InboxShell>
  );
}
