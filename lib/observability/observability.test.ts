import { execFile } from "node:child_process";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { GET as ready } from "@/app/api/ready/route";
import { createLogger, logger, scrubText, withRequestId } from "./logger";
import { checkReadiness } from "./readiness";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: createLogger(stream) };
}

describe("structured logs", () => {
  it("are JSON with the request id on every line of a request", async () => {
    const { lines, log } = capture();
    await withRequestId("req-12345678", async () => {
      log.warn("first");
      await new Promise((r) => setTimeout(r, 5));
      log.error({ event: "x" }, "second");
    });
    log.warn("outside");
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.requestId)).toEqual(["req-12345678", "req-12345678", undefined]);
  });

  it("gives a fresh id when the incoming one is not plausible", () => {
    const { lines, log } = capture();
    withRequestId("bad id\n", () => log.warn("x"));
    expect(String(lines[0]!.requestId)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("censors known PII paths and masks phones and e-mails in messages and strings", async () => {
    const { lines, log } = capture();
    log.warn(
      {
        lead: { phone: "+15551234567", first_name: "Ada", email: "ada@example.com" },
        Body: "hi",
        note: "call +1 555 123 4567",
      },
      "texting +15551234567 for ada@example.com",
    );
    await new Promise((r) => setImmediate(r));
    const text = JSON.stringify(lines);
    for (const pii of ["5551234567", "555 123 4567", "Ada", "ada@example.com", '"hi"']) expect(text).not.toContain(pii);
    expect(lines[0]!.msg).toBe("texting …4567 for [email]");
    expect((lines[0]!.lead as Record<string, unknown>).phone).toBe("[redacted]");
    expect(lines[0]!.note).toBe("call …4567");
  });

  it("leaves short numbers (counts, codes) alone", () => {
    expect(scrubText("sent 1234 of 20000, code 21610")).toBe("sent 1234 of 20000, code 21610");
    const id = "12345678-1234-4234-8234-123456789012 and 46f14353d-4cca-975c-34338a58c795 on 2026-11-30";
    expect(scrubText(id)).toBe(id);
  });
});

describe("readiness", () => {
  it("is ready when the database answers as the service role, 200 from /api/ready", async () => {
    expect(await checkReadiness()).toEqual({ ready: true });
    const res = await ready(new Request("http://localhost/api/ready"));
    expect(res.status).toBe(200);
  });

  it("is not ready when the probe fails", async () => {
    expect(
      await checkReadiness(() => Promise.reject(Object.assign(new Error("down"), { code: "ECONNREFUSED" }))),
    ).toEqual({ ready: false });
  });
});

describe("toAppError on the server", () => {
  it("reports an internal error through the structured logger, with the phone in the raw message masked", async () => {
    const { toAppError } = await import("@/lib/server/app-error");
    const error = vi.spyOn(logger(), "error").mockImplementation(() => {});
    try {
      toAppError(new Error("boom for +15551234567"));
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ event: "internal_error", detail: "boom for +15551234567" }),
        "internal error",
      );
    } finally {
      error.mockRestore();
    }
    // The masking itself happens in the logger's formatter (tested above on the same field shape).
    expect(scrubText("boom for +15551234567")).toBe("boom for …4567");
  });
});

describe("toAppError in a process that never loaded the logger itself", () => {
  it("still logs through pino: JSON on stdout with the request id, phone and e-mail masked, nothing on stderr", async () => {
    // A fresh Node process (as a CLI or a route bundle that imports only app-error): the logger
    // is not installed by anyone else first.
    const script = `
      const { toAppError } = await import("@/lib/server/app-error");
      toAppError(new Error("boom for +15551234567 and ada@example.com"));
      const { withRequestId } = await import("@/lib/observability/logger");
      withRequestId("req-12345678", () => toAppError(new Error("second")));
    `;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: path.resolve(import.meta.dirname, "../.."), env: { ...process.env, LOG_LEVEL: "info" } },
    );
    expect(stderr).not.toContain("internal_error");
    const lines = stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: "internal error",
        event: "internal_error",
        detail: "boom for …4567 and [email]",
      }),
      expect.objectContaining({ level: 50, msg: "internal error", detail: "second", requestId: "req-12345678" }),
    ]);
    expect(stdout).not.toContain("5551234567");
    expect(stdout).not.toContain("ada@example.com");
  });
});
