import type { ThreadMessage } from "@/lib/inbox/conversation-queries";
import { LocalTime } from "./local-time";
import { ScrollToLatest } from "./scroll-to-latest";

const STATUS_LABEL: Record<string, string> = {
  pending: "sending…",
  accepted: "accepted",
  scheduled: "scheduled",
  queued: "queued",
  sending: "sending",
  sent: "sent",
  delivered: "delivered",
  undelivered: "not delivered",
  failed: "failed",
  canceled: "canceled",
  received: "received",
};

const FAILED = new Set(["undelivered", "failed", "canceled"]);

/** The messages of one thread, oldest first: theirs on the left, the dealership's on the right. */
export function ThreadMessages({ messages, nameOf }: { messages: ThreadMessage[]; nameOf: Map<string, string> }) {
  if (messages.length === 0) {
    return (
      <p className="py-8 text-center text-sm text-slate-500" data-test="thread-empty">
        No messages with this lead yet. Write the first one below.
      </p>
    );
  }
  return (
    <>
      <ol className="space-y-3" data-test="thread-messages">
        {messages.map((m) => {
          const out = m.direction === "outbound";
          return (
            <li
              key={m.id}
              className={`flex ${out ? "justify-end" : "justify-start"}`}
              data-test="thread-message"
              data-direction={m.direction}
              data-status={m.status}
            >
              <div
                className={`max-w-[75%] rounded-lg px-3 py-2 shadow-sm ${out ? "bg-brand-600 text-white" : "bg-white text-slate-900"}`}
              >
                <p className="break-words whitespace-pre-wrap" data-test="thread-message-body">
                  {m.body}
                </p>
                <p className={`mt-1 flex flex-wrap gap-x-2 text-xs ${out ? "text-brand-100" : "text-slate-500"}`}>
                  <LocalTime iso={m.createdAt.toISOString()} />
                  <span>
                    {out
                      ? m.autoReply
                        ? "automatic HELP reply"
                        : m.sentBy
                          ? (nameOf.get(m.sentBy) ?? "former member")
                          : "campaign"
                      : "lead"}
                  </span>
                  <span
                    className={out && FAILED.has(m.status) ? "font-semibold text-red-200" : ""}
                    data-test="thread-message-status"
                  >
                    {STATUS_LABEL[m.status] ?? m.status}
                    {m.errorCode ? ` (error ${m.errorCode})` : ""}
                  </span>
                  {m.segments && m.segments > 1 ? <span>{m.segments} segments</span> : null}
                </p>
                {m.needsReview ? (
                  <p
                    className="mt-1 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900"
                    data-test="thread-message-attention"
                  >
                    May be asking to stop texts. Not an opt-out keyword, so nothing changed; read it and act on it.
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <ScrollToLatest count={messages.length} />
    </>
  );
}
