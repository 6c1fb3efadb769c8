import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { emulatorMailbox } from "@/local-stack/auth/mailbox-client";
import { isLocalStack, serverEnv } from "@/lib/env/server-env";
import { formatUtcTimestamp } from "@/lib/format/timestamp";

export const metadata: Metadata = { title: "Local mailbox" };
export const dynamic = "force-dynamic";

const LINK_LABELS = {
  invite: "Accept the invitation",
  recovery: "Choose a new password",
  notice: "Open in RefireLeads",
} as const;

/**
 * Every e-mail the product would send (invitations, password resets, the app's own notices such
 * as support access requests), as the local Auth emulator delivered them, the way the test phone
 * shows texts. Local mode only: 404 anywhere else. Open to
 * anyone on this machine (someone accepting an invitation is not signed in yet).
 */
export default async function MailboxPage() {
  if (!isLocalStack()) notFound();
  const emails = await emulatorMailbox(serverEnv().SUPABASE_URL);
  return (
    <main className="mx-auto max-w-3xl space-y-4 p-6">
      <h1 className="text-2xl font-semibold">Local mailbox</h1>
      <p className="text-sm text-slate-600">
        Local mode only. The Auth emulator delivers here what Supabase Auth would e-mail in production, rendered from
        the same templates (supabase/templates), and the app&rsquo;s own notices (support access). Newest first.
      </p>
      {emails.length === 0 ? (
        <p className="text-sm text-slate-600" data-test="mailbox-empty">
          No e-mail yet. Invite someone from Settings, or use “Forgot your password?” on the sign-in page.
        </p>
      ) : (
        <ul className="space-y-3">
          {emails.map((m) => (
            <li key={m.id} className="rounded-lg bg-white p-4 shadow-sm" data-test="mailbox-email" data-to={m.to}>
              <p className="text-sm text-slate-600">
                To <span data-test="mailbox-to">{m.to}</span> · {formatUtcTimestamp(new Date(m.createdAt))} UTC
              </p>
              <h2 className="font-semibold">{m.subject}</h2>
              {m.kind === "notice" ? (
                <p className="mt-2 text-sm whitespace-pre-line" data-test="mailbox-body">
                  {m.body}
                </p>
              ) : null}
              <p className="mt-2">
                <a href={m.link} className="text-brand-700 underline" data-test="mailbox-link">
                  {LINK_LABELS[m.kind]}
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
