/**
 * The purge cron route: refused without the secret (or with a wrong one), closed when no secret
 * is configured, and with it a bounded purge run answered with ids and counts only (500 when a
 * dealership could not be purged, so the scheduler reports it).
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const SECRET = "cron-secret-for-tests-0123456789abcdef";

async function load(secret: string | undefined) {
  vi.resetModules();
  if (secret === undefined) delete process.env.CRON_SECRET;
  else process.env.CRON_SECRET = secret;
  return import("@/lib/dealerships/purge-cron");
}

const call = (auth?: string) =>
  new Request("http://localhost:3100/api/cron/purge", { headers: auth ? { authorization: auth } : {} });

afterEach(() => {
  delete process.env.CRON_SECRET;
});

describe("/api/cron/purge", () => {
  it("refuses a missing or wrong secret, and answers 503 without one configured, purging nothing", async () => {
    const purge = vi.fn();
    let { handlePurgeCron } = await load(SECRET);
    for (const auth of [undefined, "Bearer wrong", `Bearer ${SECRET}x`, SECRET]) {
      expect((await handlePurgeCron(call(auth), purge)).status).toBe(401);
    }
    ({ handlePurgeCron } = await load(undefined));
    expect((await handlePurgeCron(call("Bearer "), purge)).status).toBe(503);
    expect(purge).not.toHaveBeenCalled();
  });

  it("purges for a bounded time with the secret; a failed dealership makes it a 500", async () => {
    const { handlePurgeCron } = await load(SECRET);
    const done = { purged: [{ dealershipId: "d1", counts: { "public.leads": 3 } }], failed: [], deferred: 0 };
    const purge = vi.fn().mockResolvedValue(done);
    const res = await handlePurgeCron(call(`Bearer ${SECRET}`), purge);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(done);
    expect(purge).toHaveBeenCalledWith({ deadlineMs: expect.any(Number) });
    expect(purge.mock.calls[0]![0].deadlineMs).toBeLessThan(60_000);
    purge.mockResolvedValue({ purged: [], failed: [{ dealershipId: "d2", error: "pg=RL104" }], deferred: 0 });
    expect((await handlePurgeCron(call(`Bearer ${SECRET}`), purge)).status).toBe(500);
  });

  it("the route answers GET and POST through the same check", async () => {
    await load(SECRET);
    const { GET, POST } = await import("./route");
    expect((await GET(call("Bearer nope"))).status).toBe(401);
    expect((await POST(new Request("http://localhost:3100/api/cron/purge", { method: "POST" }))).status).toBe(401);
  });
});
