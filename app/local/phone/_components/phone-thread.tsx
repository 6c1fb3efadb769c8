import type { PhoneMessage } from "../actions";

/** The phone's messages, oldest first: received on the left, sent on the right. */
export function PhoneThread({ messages }: { messages: PhoneMessage[] }) {
  if (messages.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-slate-500" data-test="phone-thread-empty">
        Nothing sent or received yet.
      </p>
    );
  }
  return (
    <ol className="max-h-[28rem] space-y-2 overflow-y-auto" data-test="phone-thread">
      {messages.map((m) => (
        <li
          key={m.sid}
          className={`flex ${m.side === "out" ? "justify-end" : "justify-start"}`}
          data-test="phone-message"
          data-side={m.side}
        >
          <div
            className={`max-w-[80%] rounded-2xl px-3 py-2 text-sm ${m.side === "out" ? "bg-green-700 text-white" : "bg-slate-200 text-slate-900"}`}
          >
            <p className="break-words whitespace-pre-wrap" data-test="phone-message-body">
              {m.body}
            </p>
            <p className={`mt-1 text-xs ${m.side === "out" ? "text-green-50" : "text-slate-600"}`}>
              {m.side === "out" ? "to" : "from"} {m.counterpart ?? "a Messaging Service"} ·{" "}
              <time dateTime={m.at} suppressHydrationWarning>
                {new Date(m.at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}
              </time>{" "}
              · {m.status}
              {m.errorCode ? ` (${m.errorCode})` : ""}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}
