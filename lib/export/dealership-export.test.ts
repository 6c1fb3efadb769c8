/**
 * The dealership export end to end against the real database: recorded only with data.export and
 * a recent re-authentication; the ZIP opens (yauzl) and every file parses (papaparse / JSON);
 * decrypted values equal what was stored, formula cells are neutralized while E.164 phones stay
 * intact, and another dealership's data is never present.
 */
import Papa from "papaparse";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { encryptField } from "@/lib/crypto/field-cipher";
import { withUser } from "@/lib/db/scope";
import { createSendingNumber, seedInboundMessage, testLeadPhone } from "@/lib/sms/testing/messaging-fixtures";
import {
  adminSql,
  createDealership,
  createLead,
  createMember,
  recordRecentAuth,
  type TestMember,
} from "@/local-stack/test-fixtures";
import { recordDataExport, streamDealershipExport, type ExportFormat } from "./dealership-export";
import { EXPORT_TABLES } from "./export-tables";
import { unzip } from "@/lib/export/testing/unzip";

let sql: Sql;
let dealershipA: string;
let dealershipB: string;
let ownerA: TestMember;
let managerA: TestMember;
const phoneA = testLeadPhone();
const phoneB = testLeadPhone();
const bMarker = `Bravo${Date.now()}`;

beforeAll(async () => {
  sql = adminSql();
  dealershipA = await createDealership(sql, "Export A");
  dealershipB = await createDealership(sql, "Export B");
  ownerA = await createMember(sql, dealershipA, "owner");
  managerA = await createMember(sql, dealershipA, "manager");
  await createLead(sql, dealershipA, {
    phone: phoneA,
    firstName: '=HYPERLINK("http://evil")',
    lastName: 'Ünïcødé, "Jr"',
    email: "@olive@example.test",
    notes: "-2+3\nsecond line",
  });
  await createLead(sql, dealershipB, { phone: phoneB, firstName: bMarker });
  const number = await createSendingNumber(sql, dealershipA);
  await seedInboundMessage(sql, dealershipA, { sendingNumberId: number.id, from: phoneA, body: "+Yes, call me" });
  const numberB = await createSendingNumber(sql, dealershipB);
  await seedInboundMessage(sql, dealershipB, { sendingNumberId: numberB.id, from: phoneB, body: `${bMarker} body` });
});
afterAll(async () => {
  await sql.end();
});

async function collect(dealershipId: string, format: ExportFormat): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamDealershipExport(dealershipId, format)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const parseCsv = (buf: Buffer) => {
  const text = buf.toString("utf8");
  expect(text.startsWith("\uFEFF")).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), {
    header: true,
    delimiter: ",",
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
};

describe("data export: who may start it", () => {
  it("refuses a role without data.export and an owner who has not re-authenticated; audits the export", async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: { code?: string }) => e.code ?? String(e),
      );
    expect(await code(withUser(managerA.claims, dealershipA, (s) => recordDataExport(s, "csv")))).toBe("42501");
    await recordRecentAuth(sql, ownerA, "password", 600);
    expect(await code(withUser(ownerA.claims, dealershipA, (s) => recordDataExport(s, "csv")))).toBe("RL040");
    await recordRecentAuth(sql, ownerA);
    expect(await code(withUser(ownerA.claims, dealershipA, (s) => recordDataExport(s, "csv")))).toBe("ok");
    const [row] = await sql`select actor_user_id, metadata from public.audit_events
      where dealership_id = ${dealershipA} and action = 'data.exported' order by chain_seq desc limit 1`;
    expect(row).toEqual({ actor_user_id: ownerA.userId, metadata: { format: "csv" } });
  });

  it("the exporter role reads only the listed tables, and holds no table grant", async () => {
    const err = await sql
      .begin(async (tx) => {
        await tx`set local role exporter`;
        await tx`select private.export_table(${dealershipA}, 'auth_users')`;
      })
      .catch((e: { code: string }) => e.code);
    expect(err).toBe("22023");
    const denied = await sql
      .begin(async (tx) => {
        await tx`set local role exporter`;
        await tx`select 1 from public.leads limit 1`;
      })
      .catch((e: { code: string }) => e.code);
    expect(denied).toBe("42501");
  });
});

describe("data export: the ZIP", () => {
  it("CSV: every table's file opens and parses; values decrypted and neutralized; phones intact; no other dealership", async () => {
    const files = await unzip(await collect(dealershipA, "csv"));
    expect([...files.keys()].sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.csv`).sort());
    for (const [, buf] of files) parseCsv(buf);
    const leads = parseCsv(files.get("leads.csv")!);
    expect(leads).toHaveLength(1); // the inbound text came from the lead's own number
    const olive = leads.find((l) => l.phone === phoneA)!;
    expect(olive.firstName).toBe('\'=HYPERLINK("http://evil")');
    expect(olive.lastName).toBe('Ünïcødé, "Jr"');
    expect(olive.email).toBe("'@olive@example.test");
    expect(olive.notes).toBe("'-2+3\nsecond line");
    expect(Object.keys(olive).some((k) => k.endsWith("_enc") || k.endsWith("_bidx"))).toBe(false);
    const messages = parseCsv(files.get("messages.csv")!);
    expect(messages.map((m) => m.body)).toContain("'+Yes, call me");
    const numbers = parseCsv(files.get("sending_numbers.csv")!);
    expect(numbers[0]!.phone_number).toMatch(/^\+1555\d{7}$/);
    const team = parseCsv(files.get("team.csv")!);
    expect(team.map((m) => m.email).sort()).toEqual([ownerA.email, managerA.email].sort());
    const everything = [...files.values()].map((b) => b.toString("utf8")).join("\n");
    expect(everything).not.toContain(bMarker);
    expect(everything).not.toContain(phoneB);
    expect(everything).not.toContain(dealershipB);
  });

  it("JSON: every file parses, values are the plaintext as stored (no neutralization)", async () => {
    const files = await unzip(await collect(dealershipA, "json"));
    expect([...files.keys()].sort()).toEqual(EXPORT_TABLES.map((t) => `${t}.json`).sort());
    const parsed = new Map([...files].map(([name, buf]) => [name, JSON.parse(buf.toString("utf8")) as unknown[]]));
    const leads = parsed.get("leads.json") as Record<string, unknown>[];
    const olive = leads.find((l) => l.phone === phoneA)!;
    expect(olive).toMatchObject({
      firstName: '=HYPERLINK("http://evil")',
      lastName: 'Ünïcødé, "Jr"',
      email: "@olive@example.test",
      notes: "-2+3\nsecond line",
    });
    expect(JSON.stringify([...parsed.values()])).not.toContain(bMarker);
  });
});

/** jsonb's key order (shorter first, then bytewise): the order the export's columns always had. */
const jsonbKeyOrder = (a: string, b: string) =>
  Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("data export: the reader streams typed columns, values as before", () => {
  it("private.export_table opens a cursor the exporter fetches in batches, without secret columns", async () => {
    await seedInboundMessage(sql, dealershipA, {
      sendingNumberId: (await createSendingNumber(sql, dealershipA)).id,
      from: testLeadPhone(),
      body: "a second text",
    });
    const columns = await sql.begin(async (tx) => {
      await tx`set local role exporter`;
      const byTable = new Map<string, string[]>();
      for (const table of EXPORT_TABLES) {
        const [opened] = await tx`select private.export_table(${dealershipA}, ${table}) as cursor`;
        const batch = await tx.unsafe(`fetch forward 1 from ${opened!.cursor as string}`);
        if (table === "messages") {
          // One row per FETCH: the rows stream, the table is not computed whole first.
          expect(batch).toHaveLength(1);
          expect(await tx.unsafe(`fetch forward 1 from ${opened!.cursor as string}`)).toHaveLength(1);
        }
        byTable.set(
          table,
          batch.columns.map((c) => c.name),
        );
      }
      return byTable;
    });
    for (const [table, names] of columns) {
      expect(
        names.filter((n) => /(_bidx|token|_hash|secret|claim_)/.test(n)),
        table,
      ).toEqual([]);
      expect(names, table).toEqual([...names].sort(jsonbKeyOrder));
    }
    expect(columns.get("leads")).toContain("pii_enc");
    expect(columns.get("audit_events")).not.toContain("row_hash");
  });

  it("numbers, booleans, jsonb and timestamps come out as the jsonb export gave them; envelopes decrypted", async () => {
    const importId = randomUUID();
    const fileNameEnc = encryptField("=leads.csv", {
      dealershipId: dealershipA,
      table: "lead_imports",
      column: "file_name_enc",
      rowId: importId,
    });
    await sql`insert into public.lead_imports
      (id, dealership_id, file_name_enc, file_size_bytes, status, total_count, mapping, started_at, finished_at)
      values (${importId}, ${dealershipA}, ${fileNameEnc}, 123456789012, 'completed', 7,
              ${sql.json({ b: 2.5, a: [1, true, null] })}, '2026-01-02 03:04:05.5+00', '2026-01-02 03:04:06+00')`;
    // Bound to another row: decrypts to nothing and is listed as unreadable.
    await sql`insert into public.lead_imports (dealership_id, file_name_enc, status, finished_at)
      values (${dealershipA}, ${fileNameEnc}, 'failed', now())`;
    await sql`update public.dealership_campaign_settings set per_number_per_second = 1.50, require_opt_in = true
      where dealership_id = ${dealershipA}`;

    const csv = await unzip(await collect(dealershipA, "csv"));
    const imports = parseCsv(csv.get("lead_imports.csv")!);
    const imported = imports.find((r) => r.id === importId)!;
    expect(imported).toMatchObject({
      file_name: "'=leads.csv",
      file_size_bytes: "123456789012",
      total_count: "7",
      mapping: '{"a":[1,true,null],"b":2.5}',
      started_at: "2026-01-02T03:04:05.5+00:00",
      finished_at: "2026-01-02T03:04:06+00:00",
      unreadable_fields: "",
    });
    expect(imports.find((r) => r.id !== importId)).toMatchObject({ file_name: "", unreadable_fields: "file_name" });
    const [settings] = parseCsv(csv.get("dealership_campaign_settings.csv")!);
    expect(settings).toMatchObject({ per_number_per_second: "1.5", require_opt_in: "true" });

    const json = await unzip(await collect(dealershipA, "json"));
    const importsJson = JSON.parse(json.get("lead_imports.json")!.toString("utf8")) as Record<string, unknown>[];
    expect(importsJson.find((r) => r.id === importId)).toMatchObject({
      file_name: "=leads.csv",
      file_size_bytes: 123456789012,
      total_count: 7,
      mapping: { a: [1, true, null], b: 2.5 },
      started_at: "2026-01-02T03:04:05.5+00:00",
      unreadable_fields: null,
    });
    const [settingsJson] = JSON.parse(json.get("dealership_campaign_settings.json")!.toString("utf8")) as Record<
      string,
      unknown
    >[];
    expect(settingsJson).toMatchObject({ per_number_per_second: 1.5, require_opt_in: true, daily_send_cap: 2000 });
  });
});

describe("data export: coverage", () => {
  it("every public table with a dealership_id is exported", async () => {
    const tables = await sql`select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'dealership_id' order by 1`;
    const missing = tables
      .map((t) => t.table_name as string)
      .filter((t) => !(EXPORT_TABLES as readonly string[]).includes(t));
    // memberships is exported as `team` (with each member's e-mail).
    expect(missing).toEqual(["memberships"]);
  });
});
