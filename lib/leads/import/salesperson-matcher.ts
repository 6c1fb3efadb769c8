/**
 * Salesperson names from a CRM export → dealership members, by display name, e-mail or the
 * e-mail's local part. A name that matches nobody, or several people, leaves the lead unassigned.
 */
import type { UserTx } from "@/lib/db/with-user";

export interface TeamMember {
  userId: string;
  email: string | null;
  displayName: string | null;
}

const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/[\s._-]+/g, " ").trim();

/** A lookup from salesperson text to a member id (null when unknown or ambiguous). */
export function salespersonMatcher(members: readonly TeamMember[]): (name: string) => string | null {
  const byKey = new Map<string, string | null>();
  const add = (key: string | null | undefined, userId: string) => {
    if (!key) return;
    const k = norm(key);
    if (k === "") return;
    const prior = byKey.get(k);
    byKey.set(k, prior === undefined || prior === userId ? userId : null); // two people, one name: ambiguous
  };
  for (const m of members) {
    add(m.displayName, m.userId);
    add(m.email, m.userId);
    add(m.email?.split("@")[0], m.userId);
  }
  return (name) => byKey.get(norm(name)) ?? null;
}

/** The dealership's members with their names (through the members-only definer function). */
export async function loadTeamMembers(tx: UserTx, dealershipId: string): Promise<TeamMember[]> {
  const rows = await tx<{ user_id: string; email: string | null; display_name: string | null }[]>`
    select user_id, email, display_name from public.dealership_members(${dealershipId})`;
  return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name }));
}
