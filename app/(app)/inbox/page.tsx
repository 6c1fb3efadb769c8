import type { Metadata } from "next";
import { isLocalStack } from "@/lib/env/server-env";
import { listConversations } from "@/lib/inbox/conversation-queries";
import { inboxFilterFrom } from "@/lib/inbox/inbox.schema";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { requireUserPage } from "@/lib/server/require-user-page";
import { InboxShell } from "./_components/inbox-shell";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireUserPage();
  const filter = inboxFilterFrom(await searchParams);
  // RLS: reps get only the conversations of leads assigned to them.
  const { conversations, version } = await ctx.run(async (scope) => ({
    conversations: await listConversations(scope, filter),
    version: (await inboxVersion(scope))!,
  }));
  return (
    <InboxShell
      conversations={conversations}
      region={ctx.active.region}
      version={version}
      localMode={isLocalStack()}
      filter={filter}
    >
      <div
        className="flex flex-1 items-center justify-center rounded-lg border border-dashed border-slate-300 p-8 text-slate-500"
        data-test="inbox-pick"
      >
        {conversations.length > 0
          ? "Pick a conversation on the left."
          : filter.show
            ? "No conversation matches this filter."
            : "Find a lead on the left to send the first text."}
      </div>
    </InboxShell>
  );
}
