/**
 * The signed-in user's own Auth sessions (one per device they signed in on), read and ended
 * through definer functions that only ever touch the caller's sessions.
 */
import type { AccountSession } from "@/lib/db/scope";

export interface ActiveSession {
  id: string;
  /** "Chrome on macOS", from the browser's User-Agent (forwarded at sign-in). */
  device: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session asking. */
  current: boolean;
  twoFactor: boolean;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\//, "Firefox"],
  [/Chrom(e|ium)\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/** A short, human name for a User-Agent ("Firefox on Windows"), or "Unknown device". */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown device";
}

/** Every session of the signed-in user, most recently active first. */
export async function listMySessions({ sql }: AccountSession): Promise<ActiveSession[]> {
  const rows = await sql<
    { id: string; user_agent: string | null; created_at: Date; last_seen_at: Date; aal: string; current: boolean }[]
  >`select * from public.my_sessions()`;
  return rows.map((r) => ({
    id: r.id,
    device: deviceLabel(r.user_agent),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    current: r.current,
    twoFactor: r.aal === "aal2",
  }));
}

/** End one of the user's own sessions; false when it was not theirs or already gone. */
export async function revokeMySession({ sql }: AccountSession, sessionId: string): Promise<boolean> {
  const [row] = await sql<{ revoked: boolean }[]>`select public.revoke_my_session(${sessionId}) as revoked`;
  return row?.revoked ?? false;
}
