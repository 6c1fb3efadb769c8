/**
 * Best-effort split of a one-column customer name into first and last name, as CRM exports
 * write them: "Smith, John A." or "Mr. John A. Smith Jr.".
 */

export interface SplitName {
  firstName: string | null;
  lastName: string | null;
}

const HONORIFIC = /^(mr|mrs|ms|miss|mx|dr|prof|rev|sir)\.?$/i;
const SUFFIX = /^(jr|sr|ii|iii|iv|v|md|phd|esq)\.?$/i;
// Lower-case particles that belong to the surname: "Juan de la Cruz", "Ludwig van Beethoven".
const PARTICLE = /^(de|del|della|der|di|da|dos|das|du|la|le|van|von|st\.?|bin|al|ter|ten)$/i;

/** First and last name from a full name; a single word is a first name. */
export function splitFullName(full: string): SplitName {
  const value = full.trim();
  if (value === "") return { firstName: null, lastName: null };
  const comma = value.indexOf(",");
  if (comma !== -1) {
    const last = value.slice(0, comma).trim();
    const rest = value.slice(comma + 1).trim();
    // "Smith, Jr" is not "Last, First".
    if (rest !== "" && !SUFFIX.test(rest)) return { firstName: rest || null, lastName: last || null };
  }
  const words = value.replace(/,/g, " ").split(/\s+/).filter(Boolean);
  while (words.length > 1 && HONORIFIC.test(words[0]!)) words.shift();
  if (words.length === 1) return { firstName: words[0]!, lastName: null };
  let start = words.length - 1;
  while (start > 1 && SUFFIX.test(words[start]!)) start--;
  while (start > 1 && PARTICLE.test(words[start - 1]!)) start--;
  return { firstName: words.slice(0, start).join(" "), lastName: words.slice(start).join(" ") };
}
