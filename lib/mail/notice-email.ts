import "server-only";
/**
 * Notices the product e-mails itself (not Supabase Auth's invitation and password e-mails, which
 * Auth renders and sends): plain text with one link into the app. Auth's admin API sends only its
 * own templates, so a notice cannot go through `inviteUserByEmail`; in local mode it goes to the
 * same local mailbox (/local/mailbox), delivered by the Auth emulator as Auth's e-mails are. A
 * deployment has no transport for notices yet: `sendNoticeEmail` refuses with
 * `NoticeTransportMissingError`, which callers log and carry on from (a notice is a courtesy; the
 * in-app banner is what an owner cannot miss).
 */
import { z } from "zod";
import { isLocalStack, serverEnv } from "@/lib/env/server-env";

/** One notice: to one address, plain text, and the one (absolute, token-free) link it points to. */
export interface NoticeEmail {
  to: string;
  subject: string;
  text: string;
  link: string;
}

/** A transport delivers one notice or throws. */
export type SendNoticeEmail = (mail: NoticeEmail) => Promise<void>;

/** This deployment has no way to send notices (only local mode has one today). */
export class NoticeTransportMissingError extends Error {
  constructor() {
    super("no e-mail transport for notices is configured");
    this.name = "NoticeTransportMissingError";
  }
}

const noticeSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(200),
  text: z.string().min(1).max(10_000),
  link: z.url({ protocol: /^https?$/ }),
});

/** Deliver a notice: in local mode to the local mailbox, through the Auth emulator's admin endpoint. */
export const sendNoticeEmail: SendNoticeEmail = async (mail) => {
  const notice = noticeSchema.parse(mail);
  if (!isLocalStack()) throw new NoticeTransportMissingError();
  const env = serverEnv();
  const res = await fetch(new URL("/__emulator/mailbox", env.SUPABASE_URL), {
    method: "POST",
    headers: { Authorization: `Bearer ${env.SUPABASE_SERVICE_ROLE_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ to: notice.to, subject: notice.subject, body: notice.text, link: notice.link }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`the local mailbox answered ${res.status}`);
};
