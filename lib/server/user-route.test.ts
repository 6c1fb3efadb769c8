import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

// The wrapper's CSRF gate runs before the user is resolved; the user is stubbed so the test can
// tell "refused at the gate" (handler and user lookup never reached) from "let through".
const userContext = vi.hoisted(() => ({ getUserContext: vi.fn() }));
vi.mock("./user-context", () => userContext);

const { userRoute } = await import("./user-route");

const APP = new URL(process.env.APP_BASE_URL!).origin;
const handler = vi.fn(async () => ({ done: true }));
const route = userRoute({}, handler);

function call(method: string, headers: Record<string, string>) {
  return route(
    new Request(`${APP}/api/imports`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : "{}",
    }),
    {
      params: Promise.resolve({}),
    },
  );
}

beforeEach(() => {
  handler.mockClear();
  userContext.getUserContext.mockReset();
  userContext.getUserContext.mockResolvedValue({
    claims: { sub: randomUUID() },
    memberships: [],
    active: { dealershipId: randomUUID(), role: "owner" },
    run: vi.fn(),
  });
});

describe("userRoute's cross-origin (CSRF) gate", () => {
  it.each([
    ["POST", { origin: "http://localhost:9999" }],
    ["POST", { origin: "https://evil.example" }],
    ["POST", { origin: "null" }],
    ["POST", { origin: APP.replace("http:", "https:") }],
    ["POST", { "sec-fetch-site": "same-site" }],
    ["POST", { "sec-fetch-site": "cross-site" }],
    ["POST", { origin: APP, "sec-fetch-site": "same-site" }],
    ["PUT", { origin: "http://localhost:9999" }],
    ["PATCH", { "sec-fetch-site": "cross-site" }],
    ["DELETE", { origin: "https://evil.example" }],
  ])("refuses %s with %j: 403 JSON before the user or the handler is touched", async (method, headers) => {
    const res = await call(method, headers);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(userContext.getUserContext).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ["POST", { origin: APP, "sec-fetch-site": "same-origin" }],
    ["POST", { "sec-fetch-site": "same-origin" }],
    ["POST", {}],
    ["GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
  ])("lets %s with %j through", async (method, headers) => {
    const res = await call(method, headers);
    expect(res.status).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
  });
});
