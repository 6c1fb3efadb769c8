import type { ThreadMessage } from "@/lib/inbox/conversation-queries";
import { formatReplyDate } from "@/lib/triage/suggested-replies";
import { ConfirmAppointment } from "./confirm-appointment";
import { IntentBadge } from "./intent-badge";
import { IntentCorrection } from "./intent-correction";
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

/** What the thread shows of reply triage: the lead, the dealership's zone, a confirmed visit. */
interface TriageView {
  leadId: string;
  timeZone: string;
  appointmentAt: Date | null;
  canCorrect: boolean;
}

/** Why a reply was flagged for a person. */
function attentionText(m: ThreadMessage): string {
  if (m.intent === "opt_out" && m.intentSource === "rule")
    return "Opt-out request: texts to this lead stopped at once (the lead's START undoes it). Read it and act on it.";
  if (m.intent === "opt_out")
    return "Looks like a request to stop texts, in words the consent rules do not know, so nothing changed. Read it; if it is, opt the lead out.";
  return "May be asking to stop texts. Not an opt-out keyword, so nothing changed; read it and act on it.";
}

/** The messages of one thread, oldest first: theirs on the left, the dealership's on the right. */
export function ThreadMessages({
  messages,
  nameOf,
  triage,
}: {
  messages: ThreadMessage[];
  nameOf: Map<string, string>;
  triage: TriageView;
}) {
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
                        ? "automatic reply"
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
                {m.intent ? (
                  <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <IntentBadge intent={m.intent} testId="thread-message-intent" />
                    <span>
                      {m.intentSource === "staff"
                        ? "set by staff"
                        : `${m.intentSource === "llm" ? "AI" : "classifier"} ${Math.round((m.intentConfidence ?? 0) * 100)}%`}
                    </span>
                    {m.intentDate && m.intent === "not_now" ? (
                      <span data-test="thread-message-date">
                        follow up {formatReplyDate(m.intentDate, triage.timeZone)}
                      </span>
                    ) : null}
                  </div>
                ) : null}
                {m.intent === "appointment" && m.intentDate ? (
                  <ConfirmAppointment
                    leadId={triage.leadId}
                    messageId={m.id}
                    when={formatReplyDate(m.intentDate, triage.timeZone)}
                    confirmed={triage.appointmentAt?.getTime() === m.intentDate.getTime()}
                  />
                ) : null}
                {m.intent && triage.canCorrect ? (
                  <IntentCorrection leadId={triage.leadId} messageId={m.id} intent={m.intent} />
                ) : null}
                {m.needsReview ? (
                  <p
                    className="mt-1 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900"
                    data-test="thread-message-attention"
                  >
                    {attentionText(m)}
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
