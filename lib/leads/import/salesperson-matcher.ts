/**
 * Salesperson names from a CRM export → dealership members, by display name, e-mail or the
 * e-mail's local part. A name that matches nobody, or several people, leaves the lead unassigned.
 */
import type { TeamMember } from "@/lib/dealerships/team";

/** What the matcher reads of a member (the team directory's TeamMember). */
type NamedMember = Pick<TeamMember, "userId" | "email" | "displayName">;

const norm = (s: string) =>
  s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s._-]+/g, " ")
    .trim();

/** A lookup from salesperson text to a member id (null when unknown or ambiguous). */
export function salespersonMatcher(members: readonly NamedMember[]): (name: string) => string | null {
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
