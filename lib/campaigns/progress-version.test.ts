import { describe, expect, it } from "vitest";
import type { CampaignProgress } from "./campaign-queries";
import { campaignProgressVersion } from "./progress-version";

const progress: CampaignProgress = {
  recipients: 3,
  queued: 3,
  sending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  skipped: 0,
  canceled: 0,
  replied: 0,
  optedOut: 0,
};

describe("campaignProgressVersion", () => {
  const base = { status: "sending" as const, pauseReason: null, progress };

  it("is stable for the same state and opaque", () => {
    expect(campaignProgressVersion(base)).toBe(campaignProgressVersion({ ...base, progress: { ...progress } }));
    expect(campaignProgressVersion(base)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("changes with every count the page shows, the status and the pause reason", () => {
    const seen = new Set([campaignProgressVersion(base)]);
    for (const key of [
      "queued",
      "sending",
      "sent",
      "delivered",
      "failed",
      "skipped",
      "canceled",
      "replied",
      "optedOut",
    ] as const)
      seen.add(campaignProgressVersion({ ...base, progress: { ...progress, [key]: progress[key] + 1 } }));
    seen.add(campaignProgressVersion({ ...base, status: "paused" }));
    seen.add(campaignProgressVersion({ ...base, status: "paused", pauseReason: "Too many failures" }));
    expect(seen.size).toBe(12);
  });
});
