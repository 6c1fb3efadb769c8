/**
 * The answer to HELP / INFO: who is texting (the dealership), how to stop and how to resume,
 * as carriers require. Kept GSM-7 so it costs one or two segments.
 */

/** The HELP reply for a dealership. */
export function helpReplyText(dealershipName: string): string {
  // Strip anything that would push the reply into UCS-2 or break a line.
  const name =
    dealershipName
      .replace(/[^\w .,&'-]/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 60) || "Your dealership";
  return `${name}: you're getting texts about your vehicle inquiry. Reply to reach our team. Reply STOP to opt out, START to opt back in. Msg&data rates may apply.`;
}
