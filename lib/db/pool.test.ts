/**
 * The pool's connections turn Nagle's algorithm off. Without that, a small message right after a
 * large one (here: a statement right after a COPY, as each batch of an import does) waited for
 * the server's delayed acknowledgement, about 40 ms on Linux, every time.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { noDelaySocket, pool } from "./pool";

/** Median milliseconds of a `select 1` sent right after a 1 MB COPY, on one connection. */
async function afterCopyMs(options: object): Promise<number> {
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, ...options });
  try {
    const times: number[] = [];
    await sql.begin(async (tx) => {
      await tx`create temp table nagle_probe (line text) on commit drop`;
      const rows = Buffer.from(`${"x".repeat(1023)}\n`.repeat(1024));
      for (let i = 0; i < 7; i++) {
        await pipeline(
          Readable.from([rows.subarray(0, 700_000), rows.subarray(700_000)]),
          await tx`copy nagle_probe from stdin`.writable(),
        );
        const t0 = performance.now();
        await tx`select 1`;
        times.push(performance.now() - t0);
      }
    });
    return times.sort((a, b) => a - b)[3]!;
  } finally {
    await sql.end();
  }
}

describe("the database pool", () => {
  it("connects with TCP_NODELAY, so a statement after a COPY is not held back ~40 ms", async () => {
    expect((pool() as unknown as { options: { socket: unknown } }).options.socket).toBe(noDelaySocket);
    expect(await afterCopyMs({ socket: noDelaySocket })).toBeLessThan(20);
  });
});
