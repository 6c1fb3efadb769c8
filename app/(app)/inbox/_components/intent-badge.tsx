import { INTENT_LABELS, NEEDS_PERSON_INTENTS, type Intent } from "@/lib/triage/intents";

/** The intent of a reply as a small label; the needs-a-person intents stand out. */
export function IntentBadge({ intent, testId }: { intent: Intent; testId: string }) {
  const person = NEEDS_PERSON_INTENTS.includes(intent);
  const tone =
    intent === "opt_out" || intent === "hostile"
      ? "bg-red-100 text-red-900"
      : person
        ? "bg-sky-100 text-sky-900"
        : "bg-slate-100 text-slate-700";
  return (
    <span className={`shrink-0 rounded px-1.5 text-xs font-medium ${tone}`} data-test={testId} data-intent={intent}>
      {INTENT_LABELS[intent]}
    </span>
  );
}
