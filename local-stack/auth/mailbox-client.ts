/**
 * A small client for the Auth emulator's mailbox, for tests, e2e specs and the local mailbox page
 * (local mode only). Base URL: SUPABASE_URL.
 */

/** One e-mail the Auth emulator delivered (full addresses and links: local data only). */
export interface MailboxEmail {
  id: number;
  to: string;
  /** Auth's invitation or password reset, or one of the app's own notices (plain text `body`). */
  kind: "invite" | "recovery" | "notice";
  subject: string;
  body: string;
  link: string;
  createdAt: string;
}

/** Every e-mail delivered so far, newest first. */
export async function emulatorMailbox(baseUrl: string): Promise<MailboxEmail[]> {
  const res = await fetch(new URL("/__emulator/mailbox", baseUrl), { cache: "no-store" });
  if (!res.ok) throw new Error(`Auth emulator mailbox answered ${res.status}`);
  return ((await res.json()) as { emails: MailboxEmail[] }).emails;
}

/** The newest e-mail of a kind to an address, or null. */
export async function latestEmailTo(
  baseUrl: string,
  to: string,
  kind: MailboxEmail["kind"],
): Promise<MailboxEmail | null> {
  const all = await emulatorMailbox(baseUrl);
  return all.find((m) => m.to === to.toLowerCase() && m.kind === kind) ?? null;
}
