import type { CountryCode } from "libphonenumber-js";
import type { ConversationSummary } from "@/lib/inbox/conversation-queries";
import { inboxFilterQueryString, type InboxFilter } from "@/lib/inbox/inbox.schema";
import { ConversationList } from "./conversation-list";
import { IntentFilter } from "./intent-filter";
import { InboxPoller } from "./inbox-poller";
import { StartConversation } from "./start-conversation";

interface Props {
  conversations: ConversationSummary[];
  activeLeadId?: string;
  region: CountryCode;
  /** Fingerprint of what is shown; the poller re-renders when the server's differs. */
  version: string;
  localMode: boolean;
  /** The list's intent filter and order (from the URL). */
  filter: InboxFilter;
  children: React.ReactNode;
}

/** The inbox's two panes: conversations on the left, the open thread (or a hint) on the right. */
export function InboxShell({ conversations, activeLeadId, region, version, localMode, filter, children }: Props) {
  return (
    <section className="flex h-[calc(100vh-4rem)] min-h-[32rem] gap-6" data-test="inbox">
      <InboxPoller leadId={activeLeadId} version={version} />
      <aside className="flex w-80 shrink-0 flex-col overflow-hidden rounded-lg bg-white shadow-sm">
        <div className="flex items-baseline justify-between border-b border-slate-100 px-4 pt-4">
          <h1 className="text-lg font-semibold">Inbox</h1>
          {localMode ? (
            // Local mode only: the emulated phone that lets you answer as a lead.
            <a
              href="/local/phone"
              target="_blank"
              rel="noopener"
              className="text-xs text-brand-700 hover:underline"
              data-test="open-test-phone"
            >
              Open the test phone ↗
            </a>
          ) : null}
        </div>
        <StartConversation />
        <IntentFilter filter={filter} />
        <div className="flex-1 overflow-y-auto border-t border-slate-100">
          <ConversationList
            conversations={conversations}
            activeLeadId={activeLeadId}
            region={region}
            query={inboxFilterQueryString(filter)}
          />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col gap-4 overflow-y-auto">{children}</div>
    </section>
  );
}
