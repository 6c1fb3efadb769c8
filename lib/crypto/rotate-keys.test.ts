import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blindIndex } from "@/lib/crypto/blind-index";
import {
  decryptLeadPii,
  LEAD_LEGACY_COLUMNS,
  leadColumnContext,
  type LeadPii,
  type LeadPiiField,
} from "@/lib/leads/lead-fields";
import { adminSql, createDealership, createLead } from "@/local-stack/test-fixtures";
import { ENCRYPTED_TABLES, envelopeColumns } from "./encrypted-columns";
import { encryptField, envelopeKeyId } from "./field-cipher";
import { generateKey, keyringFromEnv, parseKeyring } from "./keyring";
import { rotateEncryptedColumns } from "./rotate-keys";

let sql: Sql;
let dealership: string;
/** Every lead of the dealership with the values it was written with. */
const written = new Map<string, LeadPii>();
let tampered: string;

/** A lead stored the old way: one envelope per field column (as before the record envelope). */
async function createLegacyLead(pii: LeadPii & { phone: string }, id: string = randomUUID()): Promise<string> {
  const columns: Record<string, string> = {};
  for (const [field, column] of Object.entries(LEAD_LEGACY_COLUMNS)) {
    const value = pii[field as LeadPiiField];
    if (value) columns[column] = encryptField(value, leadColumnContext(dealership, id, column), keyringFromEnv());
  }
  await sql`insert into public.leads ${sql({
    id,
    dealership_id: dealership,
    ...columns,
    phone_bidx: blindIndex("phone", pii.phone, dealership),
  })}`;
  return id;
}

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Rotation Motors");
  // A mixed table: leads in the legacy per-field shape and leads already in the record shape.
  for (let i = 0; i < 5; i++) {
    const pii = { phone: `+1312555${7000 + i}`, firstName: `Legacy${i}`, notes: `note ${i}`, vehicleVin: `VIN${i}` };
    written.set(await createLegacyLead(pii), pii);
  }
  for (let i = 5; i < 8; i++) {
    const pii = { phone: `+1312555${7000 + i}`, firstName: `Record${i}`, email: `r${i}@example.com` };
    written.set(await createLead(sql, dealership, pii), pii);
  }
  // A legacy lead whose first name was moved from another lead: it can never decrypt. Its id sorts
  // last, so the interrupted run below stops before it.
  const pii = { phone: "+13125557099", firstName: "Tampered" };
  tampered = await createLegacyLead(pii, `ffffffff-ffff-4fff-bfff-${randomUUID().slice(-12)}`);
  const [donor] = await sql`select first_name_enc from public.leads where id = ${[...written.keys()][0]!}`;
  await sql`update public.leads set first_name_enc = ${donor!.first_name_enc} where id = ${tampered}`;
});

afterAll(() => sql.end());

const leadsOf = () =>
  sql<
    ({ id: string; dealership_id: string; pii_enc: string | null } & Record<string, string | null>)[]
  >`select * from public.leads where dealership_id = ${dealership} order by id`;

describe("key rotation", () => {
  it("lists every encrypted column of the schema", async () => {
    const cols = await sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and column_name like '%\\_enc' order by 1, 2`;
    const listed = ENCRYPTED_TABLES.flatMap((t) => envelopeColumns(t).map((c) => `${t.table}.${c}`)).sort();
    expect(cols.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(listed);
  });

  it("converts a mixed table to record envelopes under the new key, resumably and idempotently", async () => {
    const old = keyringFromEnv();
    const env = process.env;
    const rotated = parseKeyring(`k2:${generateKey()},${env.PII_ENCRYPTION_KEYS}`, env.PII_BLIND_INDEX_KEY!);
    const legacyColumns = Object.values(LEAD_LEGACY_COLUMNS);

    // Interrupted after two batches of two rows: four rows done, the rest untouched.
    await rotateEncryptedColumns(sql, rotated, { batchSize: 2, maxBatches: 2, dealershipId: dealership });
    const partial = await leadsOf();
    const converted = partial.filter((r) => r.pii_enc && envelopeKeyId(r.pii_enc) === "k2");
    expect(converted).toHaveLength(4);
    for (const r of converted) for (const c of legacyColumns) expect(r[c]).toBeNull();

    // Resumed: every readable row ends in the record shape on k2 with the same values.
    const resumed = await rotateEncryptedColumns(sql, rotated, { batchSize: 2, dealershipId: dealership });
    expect(resumed.rewritten.leads).toBe(4);
    expect(resumed.failed).toEqual([{ table: "leads", id: tampered, reason: "authentication_failed" }]);
    for (const r of await leadsOf()) {
      if (r.id === tampered) continue;
      expect(envelopeKeyId(r.pii_enc!)).toBe("k2");
      for (const c of legacyColumns) expect(r[c]).toBeNull();
      const expected = written.get(r.id)!;
      const pii = decryptLeadPii(r, rotated);
      for (const [field, value] of Object.entries(pii)) expect(value).toBe(expected[field as LeadPiiField] ?? null);
      // The old keyring (without k2) can no longer read it: the data really moved keys.
      expect(() => decryptLeadPii(r, old)).toThrow(/key/i);
    }

    // The row that will not decrypt is left exactly as it was (still legacy, still on the old key).
    const [left] = await sql`select pii_enc, first_name_enc, phone_enc from public.leads where id = ${tampered}`;
    expect(left).toMatchObject({ pii_enc: null, first_name_enc: expect.stringMatching(/^v1\./) });

    // A second run rewrites nothing (it reports the same unreadable row again).
    const again = await rotateEncryptedColumns(sql, rotated, { dealershipId: dealership });
    expect(again.rewritten).toEqual({});
    expect(again.failed.map((f) => f.id)).toEqual([tampered]);
  });
});
