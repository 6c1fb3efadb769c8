import Link from "next/link";
import type { CountryCode } from "libphonenumber-js";
import { LEAD_STATUS_LABELS } from "@/lib/leads/lead-status";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import type { ConversationSummary } from "@/lib/inbox/conversation-queries";
import { IntentBadge } from "./intent-badge";
import { LocalTime } from "./local-time";

/** The conversation list: unread first, then most recent (the order comes from the query). */
export function ConversationList({
  conversations,
  activeLeadId,
  region,
  query = "",
}: {
  conversations: ConversationSummary[];
  activeLeadId?: string;
  region: CountryCode;
  /** The list's filter as a query string, kept by the links. */
  query?: string;
}) {
  if (conversations.length === 0) {
    return (
      <p className="p-4 text-sm text-slate-500" data-test="conversation-list-empty">
        {query ? "No conversations match this filter." : "No conversations yet. Replies to your texts show up here."}
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" data-test="conversation-list">
      {conversations.map((c) => {
        const active = c.leadId === activeLeadId;
        const unread = c.unreadCount > 0;
        return (
          <li key={c.id} data-test="conversation-item" data-lead-id={c.leadId} data-unread={unread ? "true" : "false"}>
            {/* No prefetch: a thread is rendered when it is opened (and marked read once shown), not for every row in view. */}
            <Link
              href={`/inbox/${c.leadId}${query}`}
              prefetch={false}
              aria-current={active ? "page" : undefined}
              className={`block px-4 py-3 hover:bg-slate-50 ${active ? "bg-brand-50" : ""}`}
            >
              <div className="flex items-baseline justify-between gap-2">
                <span className={`truncate ${unread ? "font-semibold" : ""}`} data-test="conversation-name">
                  {c.leadName || formatPhoneForDisplay(c.leadPhone, region) || "Unknown sender"}
                </span>
                <span className="shrink-0 text-xs text-slate-600">
                  {c.lastMessageAt ? <LocalTime iso={c.lastMessageAt.toISOString()} /> : null}
                </span>
              </div>
              <div className="mt-1 flex items-center gap-2">
                <p
                  className={`min-w-0 flex-1 truncate text-sm ${unread ? "text-slate-900" : "text-slate-600"}`}
                  data-test="conversation-preview"
                >
                  {c.lastMessage
                    ? `${c.lastMessage.direction === "outbound" ? "You: " : ""}${c.lastMessage.preview}`
                    : "—"}
                </p>
                {c.lastIntent ? <IntentBadge intent={c.lastIntent} testId="conversation-intent" /> : null}
                {c.needsAttention ? (
                  <span
                    className="shrink-0 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-800"
                    title="The lead may be asking to stop; read it"
                    data-test="conversation-attention"
                  >
                    Needs attention
                  </span>
                ) : null}
                {unread ? (
                  <span
                    className="shrink-0 rounded-full bg-brand-600 px-2 text-xs font-semibold text-white"
                    data-test="conversation-unread"
                  >
                    {c.unreadCount}
                  </span>
                ) : null}
              </div>
              <p className="mt-1 text-xs text-slate-600">
                {LEAD_STATUS_LABELS[c.leadStatus]}
                {c.consentStatus === "opted_out" && c.leadStatus !== "opted_out" ? " · opted out of SMS" : ""}
              </p>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
