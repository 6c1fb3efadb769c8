/**
 * GoTrue's mailer for the two e-mails the product relies on (invite, recovery), delivered to the
 * local mailbox (local_stack.mailbox, shown at /local/mailbox) instead of an SMTP server. The
 * bodies are rendered from the same templates supabase/config.toml gives the hosted project, so
 * the link a person clicks locally is the one production sends.
 */
import { createHash, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { MailboxEmail } from "./mailbox-client";
import type { Db } from "./users";

/** Auth's own e-mails (rendered here from its templates) and the app's notices (plain text it sends itself). */
export type EmailKind = "invite" | "recovery" | "notice";

const TEMPLATES: Record<Exclude<EmailKind, "notice">, { subject: string; file: string }> = {
  invite: { subject: "You have been invited to RefireLeads", file: "invite.html" },
  recovery: { subject: "Reset your RefireLeads password", file: "recovery.html" },
};
const TEMPLATE_DIR = path.resolve(import.meta.dirname, "../../supabase/templates");

/** A six-digit e-mail OTP, as GoTrue generates it. */
export function newEmailOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** GoTrue's token hash of an e-mail OTP: hex SHA-224 of e-mail + OTP (crypto.GenerateTokenHash). */
export function emailTokenHash(email: string, otp: string): string {
  return createHash("sha224")
    .update(email + otp)
    .digest("hex");
}

/** Fill a Go template's `{{ .Name }}` placeholders (the only syntax our templates use). */
function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Render and deliver one e-mail to the local mailbox; returns the link it carries. */
export async function sendAuthEmail(
  db: Db,
  input: {
    kind: Exclude<EmailKind, "notice">;
    to: string;
    tokenHash: string;
    otp: string;
    siteUrl: string;
    redirectTo?: string;
  },
): Promise<string> {
  const { subject, file } = TEMPLATES[input.kind];
  const html = render(fs.readFileSync(path.join(TEMPLATE_DIR, file), "utf8"), {
    SiteURL: input.siteUrl,
    TokenHash: input.tokenHash,
    Token: input.otp,
    Email: input.to,
    RedirectTo: input.redirectTo ?? input.siteUrl,
  });
  const link = /href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
  await db`
    insert into local_stack.mailbox (to_address, kind, subject, body, link)
    values (${input.to}, ${input.kind}, ${subject}, ${html}, ${link})`;
  return link;
}

/**
 * Deliver one of the app's own notices (lib/mail/notice-email.ts), as an SMTP relay would take
 * it: the app rendered it; the mailbox stores it as given.
 */
export async function deliverNotice(
  db: Db,
  input: { to: string; subject: string; body: string; link: string },
): Promise<void> {
  await db`
    insert into local_stack.mailbox (to_address, kind, subject, body, link)
    values (${input.to.toLowerCase()}, 'notice', ${input.subject}, ${input.body}, ${input.link})`;
}

/** Every delivered e-mail, newest first (at most `limit`), in mailbox-client.ts's shape. */
export async function listMailbox(db: Db, limit = 200): Promise<MailboxEmail[]> {
  const rows = await db<
    { id: string; to_address: string; kind: EmailKind; subject: string; body: string; link: string; created_at: Date }[]
  >`select * from local_stack.mailbox order by id desc limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    to: r.to_address,
    kind: r.kind,
    subject: r.subject,
    body: r.body,
    link: r.link,
    createdAt: r.created_at.toISOString(),
  }));
}
