import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringFromEnv } from "@/lib/crypto/keyring";
import { adminSql, createDealership, createLead } from "@/local-stack/test-fixtures";
import { sourceLabelOf } from "./lead-sources";
import { convertLegacyLeadSources } from "./legacy-lead-sources";

let sql: Sql;
let dealership: string;

beforeAll(async () => {
  sql = adminSql();
  dealership = await createDealership(sql, "Legacy Motors");
});

afterAll(() => sql.end());

describe("legacy plaintext sources (keys:rotate converts them)", () => {
  it("become encrypted lead_sources rows, one per normalized label, and the plaintext is deleted", async () => {
    const a = await createLead(sql, dealership, { phone: "+13125558001" });
    const b = await createLead(sql, dealership, { phone: "+13125558002" });
    const c = await createLead(sql, dealership, { phone: "+13125558003" });
    // As the migration left them: the old leads.source values, in a table no API role can read.
    await sql`insert into private.legacy_lead_sources (lead_id, dealership_id, label) values
      (${a}, ${dealership}, 'Referral Jane Roe'), (${b}, ${dealership}, ' referral  jane roe'), (${c}, ${dealership}, 'Website')`;

    expect(await convertLegacyLeadSources(sql, keyringFromEnv(), { dealershipId: dealership, batchSize: 1 })).toBe(3);
    expect(await sql`select * from private.legacy_lead_sources where dealership_id = ${dealership}`).toEqual([]);
    const rows =
      await sql`select l.id, s.id as source_id, s.dealership_id, s.label_enc, s.system_key from public.leads l
      join public.lead_sources s on s.id = l.source_id where l.id in (${a}, ${b}, ${c}) order by l.phone_bidx`;
    const labelOf = (leadId: string) => {
      const r = rows.find((x) => x.id === leadId)!;
      return sourceLabelOf({
        id: r.source_id,
        dealership_id: r.dealership_id,
        label_enc: r.label_enc,
        system_key: r.system_key,
      });
    };
    // The two spellings are one source, labelled as whichever was converted first.
    expect(["Referral Jane Roe", "referral  jane roe"]).toContain(labelOf(a));
    expect(rows.find((r) => r.id === b)!.source_id).toBe(rows.find((r) => r.id === a)!.source_id);
    expect(labelOf(c)).toBe("Website");
    const raw = await sql`select label_enc::text as v from public.lead_sources where dealership_id = ${dealership}`;
    for (const { v } of raw) expect(v).not.toMatch(/jane|website/i);
    expect(await convertLegacyLeadSources(sql, keyringFromEnv(), { dealershipId: dealership })).toBe(0);
  });
});
