/**
 * Server actions carry the request id the middleware set (x-request-id) on their log lines: the
 * wrappers read it through next/headers and run the action inside withRequestId.
 */
import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createLogger, currentRequestId } from "@/lib/observability/logger";
import { publicAction, withActionRequestId } from "./user-action";

const incoming = vi.hoisted(() => ({ id: null as string | null }));
vi.mock("next/headers", () => ({
  headers: async () => {
    if (incoming.id === null) throw new Error("headers() was called outside a request scope");
    return new Headers({ "x-request-id": incoming.id });
  },
}));

describe("server actions and the request id", () => {
  it("an action's log lines carry the id the middleware gave its request", async () => {
    incoming.id = "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc";
    const lines: { requestId?: string }[] = [];
    const log = createLogger(
      new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const action = publicAction(z.object({ n: z.number() }), async ({ n }) => {
      log.warn({ n }, "inside the action");
      return currentRequestId();
    });
    expect(await action({ n: 1 })).toEqual({ ok: true, data: incoming.id });
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([expect.objectContaining({ requestId: incoming.id, msg: "inside the action" })]);
  });

  it("outside a request (a script, a test) an action still gets an id of its own", async () => {
    incoming.id = null;
    const id = await withActionRequestId(async () => currentRequestId());
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(currentRequestId()).toBeUndefined();
  });
});
