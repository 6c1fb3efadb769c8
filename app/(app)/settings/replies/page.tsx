import type { Metadata } from "next";
import { requireUserPage } from "@/lib/server/require-user-page";
import { INTENT_LABELS, INTENTS } from "@/lib/triage/intents";
import { llmSettingsFromEnv } from "@/lib/triage/llm-triage";
import { isTriageLlmEnabled, listReplyTemplates } from "@/lib/triage/reply-triage-store";
import { DEFAULT_REPLY_TEMPLATES, NEVER_AUTO_SENT, UNANSWERED_INTENTS } from "@/lib/triage/suggested-replies";
import { ReplyTemplateForm } from "./_components/reply-template-form";
import { TriageLlmForm } from "./_components/triage-llm-form";

export const metadata: Metadata = { title: "Suggested answers" };

export default async function ReplySettingsPage() {
  const ctx = await requireUserPage({ permission: "dealership.settings" });
  const { templates, llmEnabled } = await ctx.run(async (scope) => ({
    templates: await listReplyTemplates(scope),
    llmEnabled: await isTriageLlmEnabled(scope),
  }));
  const answerable = INTENTS.filter((i) => !UNANSWERED_INTENTS.includes(i));
  return (
    <section className="max-w-3xl space-y-8">
      <h1 className="text-2xl font-semibold">Suggested answers</h1>
      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm">
        <h2 className="font-semibold">Answers by intent</h2>
        <p className="text-sm text-slate-600">
          Every reply is sorted by intent, and the inbox suggests the answer below for it; staff edit it and send it.
          Merge fields: <code>{"{first_name|there}"}</code>, <code>{"{last_name}"}</code>, <code>{"{vehicle}"}</code>,{" "}
          <code>{"{dealer_name}"}</code>, <code>{"{rep_name}"}</code> and <code>{"{date}"}</code> (the time the reply
          named). An answer goes out on its own only where you tick &quot;Send automatically&quot;; never to an opt-out,
          a wrong number, an automatic reply or an angry message.
        </p>
        <ul className="divide-y divide-slate-100" data-test="reply-templates">
          {answerable.map((intent) => {
            const own = templates.get(intent);
            const fallback = DEFAULT_REPLY_TEMPLATES[intent as keyof typeof DEFAULT_REPLY_TEMPLATES].en;
            return (
              <ReplyTemplateForm
                key={intent}
                intent={intent}
                label={INTENT_LABELS[intent]}
                body={own?.body ?? fallback}
                custom={own !== undefined}
                autoSend={own?.autoSend ?? false}
                autoSendAllowed={!NEVER_AUTO_SENT.includes(intent)}
              />
            );
          })}
        </ul>
      </div>
      <div className="space-y-3 rounded-lg bg-white p-6 shadow-sm">
        <h2 className="font-semibold">AI model</h2>
        <p className="text-sm text-slate-600">
          Replies are sorted in the app by default. If the platform operator configured an AI model, you may use it
          instead; it sees only the text of each reply, never names or numbers, and the app falls back to its own
          sorting whenever the model fails or is slow.
        </p>
        <TriageLlmForm enabled={llmEnabled} configured={llmSettingsFromEnv(process.env) !== null} />
      </div>
    </section>
  );
}
