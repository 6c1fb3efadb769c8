/**
 * The audit log is append-only in the database and each dealership's rows form a hash chain that
 * lib/audit/verify-chain.ts recomputes. Tampering is done as the superuser with triggers switched
 * off (session_replication_role = replica): it stands in for an attacker with direct database access.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, createDealership } from "@/local-stack/test-fixtures";
import { verifyAuditChains } from "./verify-chain";

let sql: Sql;

beforeAll(() => {
  sql = adminSql();
});
afterAll(async () => {
  await sql.end();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code ?? String(e),
  );

/** A dealership with n audit rows (written the way the app's triggers write them: a plain insert). */
async function dealershipWithEvents(n: number, createdAt?: Date[]): Promise<{ id: string; rowIds: string[] }> {
  const id = await createDealership(sql);
  const rowIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = createdAt?.[i] ?? new Date();
    const [row] = await sql`
      insert into public.audit_events (dealership_id, action, target_type, target_id, metadata, created_at)
      values (${id}, 'test.event', 'lead', ${String(i)}, ${sql.json({ n: i, note: "é ✓" })}, ${at})
      returning id::text`;
    rowIds.push(row!.id);
  }
  return { id, rowIds };
}

/** Run statements as the superuser with every trigger off (an attacker with DB access). */
const tamper = (fn: (tx: Sql) => Promise<unknown>) =>
  sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await fn(tx as unknown as Sql);
  });

const kinds = async (dealershipId: string) =>
  (await verifyAuditChains(sql, dealershipId)).problems.map((p) => [p.kind, p.chainSeq]);

describe("audit log: append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE even to the table owner and definer functions", async () => {
    const { id } = await dealershipWithEvents(2);
    expect(
      await codeOf(sql`update public.audit_events set action = 'tampered.event' where dealership_id = ${id}`),
    ).toBe("42501");
    expect(await codeOf(sql`delete from public.audit_events where dealership_id = ${id}`)).toBe("42501");
    expect(await codeOf(sql`truncate public.audit_events`)).toBe("42501");
    // A definer function owned by the same role as the table meets the same trigger.
    expect(
      await codeOf(
        sql.begin(async (tx) => {
          await tx`create function pg_temp.scrub(d uuid) returns void language sql security definer as
            $$ delete from public.audit_events where dealership_id = d $$`;
          await tx`select pg_temp.scrub(${id})`;
        }),
      ),
    ).toBe("42501");
    expect((await sql`select count(*)::int as n from public.audit_events where dealership_id = ${id}`)[0]!.n).toBe(2);
  });

  it("the application roles hold no UPDATE, DELETE or TRUNCATE privilege on it", async () => {
    const roles = [
      "anon",
      "authenticated",
      "sms_webhook",
      "rate_limiter",
      "twilio_inventory",
      "session_guard",
      "sms_sender",
    ];
    for (const role of roles) {
      const [row] = await sql`
        select has_table_privilege(${role}, 'public.audit_events', 'update') as u,
               has_table_privilege(${role}, 'public.audit_events', 'delete') as d,
               has_table_privilege(${role}, 'public.audit_events', 'truncate') as t`;
      expect({ role, ...row }).toEqual({ role, u: false, d: false, t: false });
    }
  });
});

describe("audit log: hash chain", () => {
  it("an untouched chain verifies, and concurrent writers of one dealership still form one chain", async () => {
    const { id } = await dealershipWithEvents(3);
    const writers = Array.from({ length: 4 }, () =>
      adminSqlTx(async (tx) => {
        for (let i = 0; i < 5; i++)
          await tx`insert into public.audit_events (dealership_id, action) values (${id}, 'test.concurrent')`;
      }),
    );
    await Promise.all(writers);
    const report = await verifyAuditChains(sql, id);
    expect(report.rows).toBe(23);
    expect(report.problems).toEqual([]);
    const [head] = await sql`select last_seq::int from private.audit_chain_heads where dealership_id = ${id}`;
    expect(head!.last_seq).toBe(23);
  });

  it("detects an edited row", async () => {
    const { id, rowIds } = await dealershipWithEvents(4);
    await tamper((tx) => tx`update public.audit_events set metadata = '{"n": 99}' where id = ${rowIds[1]!}`);
    expect(await kinds(id)).toEqual([["edited", 2]]);
  });

  it("detects an edited row whose hash the attacker recomputed (the next row no longer links)", async () => {
    const { id, rowIds } = await dealershipWithEvents(4);
    await tamper(
      (tx) => tx`update public.audit_events e set action = 'nothing.happened',
        row_hash = sha256(convert_to(private.audit_canonical_text(e.dealership_id, e.chain_seq, e.id, e.actor_user_id,
          'nothing.happened', e.target_type, e.target_id, e.metadata, e.created_at, e.prev_hash), 'UTF8'))
        where id = ${rowIds[1]!}`,
    );
    expect(await kinds(id)).toEqual([["broken_link", 3]]);
  });

  it("detects a deleted row, in the middle and at the end", async () => {
    const { id, rowIds } = await dealershipWithEvents(5);
    await tamper((tx) => tx`delete from public.audit_events where id = ${rowIds[2]!}`);
    expect(await kinds(id)).toEqual([["missing", 3]]);
    await tamper((tx) => tx`delete from public.audit_events where id = ${rowIds[4]!}`);
    expect((await kinds(id)).at(-1)).toEqual(["tail_missing", 5]);
  });

  it("detects two swapped rows", async () => {
    const { id, rowIds } = await dealershipWithEvents(4);
    await tamper(async (tx) => {
      await tx`update public.audit_events set chain_seq = -1 where id = ${rowIds[1]!}`;
      await tx`update public.audit_events set chain_seq = 2 where id = ${rowIds[2]!}`;
      await tx`update public.audit_events set chain_seq = 3 where id = ${rowIds[1]!}`;
    });
    const found = await kinds(id);
    expect(found).toContainEqual(["edited", 2]);
    expect(found).toContainEqual(["edited", 3]);
  });

  it("another dealership's chain is unaffected by tampering elsewhere", async () => {
    const a = await dealershipWithEvents(3);
    const b = await dealershipWithEvents(3);
    await tamper((tx) => tx`delete from public.audit_events where id = ${a.rowIds[0]!}`);
    expect(await kinds(a.id)).not.toEqual([]);
    expect(await kinds(b.id)).toEqual([]);
  });
});

describe("npm run audit:verify", () => {
  const run = (dealershipId: string) =>
    promisify(execFile)("npx", ["tsx", "lib/audit/audit-verify.cli.ts", dealershipId], { env: process.env }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  it("exits 0 on an intact chain and 1, naming the row, once a row is edited", async () => {
    const { id, rowIds } = await dealershipWithEvents(3);
    expect((await run(id)).code).toBe(0);
    await tamper((tx) => tx`update public.audit_events set target_id = 'x' where id = ${rowIds[0]!}`);
    const tampered = await run(id);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`row ${rowIds[0]} at position 1 does not match its hash`);
  }, 30_000);
});

describe("audit log: retention prune", () => {
  it("deletes the rows older than the retention and the chain still verifies from the oldest kept row", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const { id } = await dealershipWithEvents(5, [
      new Date(now - 800 * day),
      new Date(now - 760 * day),
      new Date(now - 10 * day),
      new Date(now - day),
      new Date(now),
    ]);
    const [{ deleted }] = (await sql`select private.prune_audit_events()::int as deleted`) as unknown as [
      { deleted: number },
    ];
    expect(deleted).toBeGreaterThanOrEqual(2);
    const kept =
      await sql`select chain_seq::int from public.audit_events where dealership_id = ${id} order by chain_seq`;
    expect(kept.map((r) => r.chain_seq)).toEqual([3, 4, 5]);
    expect(await kinds(id)).toEqual([]);
    // New rows keep chaining after a prune; deleting the (new) oldest kept row is still detected.
    await sql`insert into public.audit_events (dealership_id, action) values (${id}, 'test.after_prune')`;
    expect(await kinds(id)).toEqual([]);
    await tamper((tx) => tx`delete from public.audit_events where dealership_id = ${id} and chain_seq = 3`);
    expect(await kinds(id)).toContainEqual(["missing", 3]);
  });

  it("a shorter retention is configurable, and less than a day is refused", async () => {
    const day = 86_400_000;
    const { id } = await dealershipWithEvents(2, [new Date(Date.now() - 40 * day), new Date()]);
    await sql`select private.prune_audit_events(interval '30 days')`;
    const kept = await sql`select chain_seq::int from public.audit_events where dealership_id = ${id}`;
    expect(kept.map((r) => r.chain_seq)).toEqual([2]);
    expect(await kinds(id)).toEqual([]);
    expect(await codeOf(sql`select private.prune_audit_events(interval '1 hour')`)).toBe("22023");
  });

  it("no application role may run the prune", async () => {
    for (const role of ["authenticated", "anon", "sms_webhook", "sms_sender"]) {
      const [row] =
        await sql`select has_function_privilege(${role}, 'private.prune_audit_events(interval)', 'execute') as x`;
      expect({ role, x: row!.x }).toEqual({ role, x: false });
    }
  });
});

/** A separate connection per writer, so the inserts really run concurrently. */
async function adminSqlTx(fn: (tx: Sql) => Promise<void>): Promise<void> {
  const own = adminSql();
  try {
    await own.begin((tx) => fn(tx as unknown as Sql));
  } finally {
    await own.end();
  }
}
