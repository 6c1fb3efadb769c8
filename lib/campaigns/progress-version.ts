/**
 * A fingerprint of what a campaign's page shows (status, pause reason, progress counts), for the
 * page's poller: the browser asks for it every few seconds and re-renders the page only when it
 * changed. Pure, so the page and the JSON route compute the same value from getCampaign's answer.
 */
import { createHash } from "node:crypto";
import type { CampaignSummary } from "./campaign-queries";

/** The fingerprint of a campaign's status and progress (opaque: no counts or text readable in it). */
export function campaignProgressVersion(c: Pick<CampaignSummary, "status" | "pauseReason" | "progress">): string {
  const p = c.progress;
  const counts = [p.queued, p.sending, p.sent, p.delivered, p.failed, p.skipped, p.canceled, p.replied, p.optedOut];
  return createHash("sha256")
    .update(`${c.status}|${c.pauseReason ?? ""}|${counts.join(".")}`)
    .digest("base64url")
    .slice(0, 16);
}
