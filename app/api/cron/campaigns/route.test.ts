/**
 * The cron route: refused without the secret (or with a wrong one, of any length), refused when
 * no secret is configured, and a drain with the secret.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const SECRET = "cron-secret-for-tests-0123456789abcdef";

async function load(secret: string | undefined) {
  vi.resetModules();
  if (secret === undefined) delete process.env.CRON_SECRET;
  else process.env.CRON_SECRET = secret;
  return import("@/lib/campaigns/worker/cron");
}

const call = (auth?: string) =>
  new Request("http://localhost:3100/api/cron/campaigns", { headers: auth ? { authorization: auth } : {} });

afterEach(() => {
  delete process.env.CRON_SECRET;
});

describe("/api/cron/campaigns", () => {
  it("refuses a missing or wrong secret without draining", async () => {
    const { handleCampaignCron } = await load(SECRET);
    const drain = vi.fn();
    for (const auth of [
      undefined,
      "Bearer wrong",
      `Bearer ${SECRET}x`,
      `Bearer ${SECRET.slice(0, -1)}`,
      SECRET,
      `Basic ${SECRET}`,
    ]) {
      const res = await handleCampaignCron(call(auth), drain);
      expect(res.status).toBe(401);
    }
    expect(drain).not.toHaveBeenCalled();
  });

  it("is closed when no CRON_SECRET is configured", async () => {
    const { handleCampaignCron } = await load(undefined);
    const drain = vi.fn();
    expect((await handleCampaignCron(call("Bearer "), drain)).status).toBe(503);
    expect(drain).not.toHaveBeenCalled();
  });

  it("drains for a bounded time with the secret and answers counts only", async () => {
    const { handleCampaignCron, CRON_DRAIN_MS } = await load(SECRET);
    const stats = {
      batches: 0,
      claimed: 0,
      sent: 0,
      failed: 0,
      retried: 0,
      postponed: 0,
      skipped: 0,
      reconciled: 0,
      autoPaused: 0,
      stoppedBy: "idle",
    };
    const drain = vi.fn().mockResolvedValue(stats);
    const res = await handleCampaignCron(call(`Bearer ${SECRET}`), drain);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(stats);
    expect(drain).toHaveBeenCalledWith(expect.objectContaining({ deadlineMs: CRON_DRAIN_MS }));
    expect(CRON_DRAIN_MS).toBeLessThan(60_000);
  });

  it("the route answers GET (Vercel Cron) and POST (pg_net) through the same check", async () => {
    await load(SECRET);
    const { GET, POST } = await import("./route");
    expect((await GET(call("Bearer nope"))).status).toBe(401);
    expect((await POST(new Request("http://localhost:3100/api/cron/campaigns", { method: "POST" }))).status).toBe(401);
  });
});
