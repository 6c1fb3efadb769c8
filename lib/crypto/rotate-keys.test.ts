import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSql, createDealership, createLead } from "@/local-stack/test-fixtures";
import { ENCRYPTED_TABLES } from "./encrypted-columns";
import { decryptField, envelopeKeyId } from "./field-cipher";
import { generateKey, keyringFromEnv, parseKeyring } from "./keyring";
import { rotateEncryptedColumns } from "./rotate-keys";

let sql: Sql;
let dealership: string;
const leadIds: string[] = [];

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Rotation Motors");
  for (let i = 0; i < 7; i++) {
    leadIds.push(
      await createLead(sql, dealership, {
        phone: `+1312555${String(7000 + i)}`,
        firstName: `Rot${i}`,
        notes: `note ${i}`,
      }),
    );
  }
});

afterAll(() => sql.end());

describe("key rotation", () => {
  it("lists every encrypted column of the schema", async () => {
    const cols = await sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_name like '%\\_enc' order by 1, 2`;
    const listed = ENCRYPTED_TABLES.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)).sort();
    expect(cols.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(listed);
  });

  it("re-encrypts to the new active key, resumably and idempotently", async () => {
    const old = keyringFromEnv();
    const env = process.env;
    const rotated = parseKeyring(`k2:${generateKey()},${env.PII_ENCRYPTION_KEYS}`, env.PII_BLIND_INDEX_KEY!);

    // Interrupted after two batches of two rows: some rows moved, the rest still on the old key.
    await rotateEncryptedColumns(sql, rotated, { batchSize: 2, maxBatches: 2, dealershipId: dealership });
    const partial = await sql`select first_name_enc from public.leads where dealership_id = ${dealership}`;
    const onNew = partial.filter((r) => envelopeKeyId(r.first_name_enc) === "k2").length;
    expect(onNew).toBe(4);

    // Resumed: everything ends on k2 and still decrypts to the same values.
    const resumed = await rotateEncryptedColumns(sql, rotated, { batchSize: 2, dealershipId: dealership });
    expect(resumed.leads).toBe(3);
    const rows =
      await sql`select id, first_name_enc, phone_enc, notes_enc from public.leads where dealership_id = ${dealership} order by first_name_enc`;
    for (const r of rows) {
      for (const column of ["first_name_enc", "phone_enc", "notes_enc"]) {
        expect(envelopeKeyId(r[column])).toBe("k2");
      }
      const ctx = { dealershipId: dealership, table: "leads", column: "first_name_enc", rowId: r.id };
      expect(decryptField(r.first_name_enc, ctx, rotated)).toMatch(/^Rot\d$/);
      // The old keyring (without k2) can no longer read it: the data really moved keys.
      expect(() => decryptField(r.first_name_enc, ctx, old)).toThrow(/key/i);
    }

    // A second run finds nothing to do.
    expect(await rotateEncryptedColumns(sql, rotated, { dealershipId: dealership })).toEqual({});
  });
});
