/**
 * A lead's personal fields as ONE record envelope (issue 14): every field round-trips, the
 * envelope is bound to dealership, table, column and lead (tampering, moving it to another row or
 * dealership, or an unknown key id is refused), a record that will not decrypt makes the whole
 * record unreadable without throwing, and legacy per-field rows still read field by field.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, encryptField } from "@/lib/crypto/field-cipher";
import { generateKey, keyringFromEnv, parseKeyring } from "@/lib/crypto/keyring";
import {
  decryptLeadPii,
  decryptLeadPiiPerField,
  encryptLeadPii,
  LEAD_LEGACY_COLUMNS,
  LEAD_PII_FIELDS,
  leadColumnContext,
  leadRecordContext,
  type LeadPii,
  type LeadPiiField,
} from "./lead-fields";

const dealershipId = randomUUID();

/** Every field, with values that stress the encoding (quotes, newlines, non-ASCII, JSON-looking text). */
const FULL: Required<LeadPii> = {
  firstName: "Zoë “Z” O'Brien",
  lastName: '{"lastName":"forged"}',
  phone: "+13125550100",
  email: "zoe.obrien@example.com",
  vehicleYear: "2019",
  vehicleMake: "Škoda",
  vehicleModel: "Octavia\tRS",
  vehicleTrim: "vRS 245",
  vehicleVin: "TMBJJ7NE5K0123456",
  notes: 'Wants "certified"\npre-owned; 😀 \\ backslash, \u0000 and = =HYPERLINK("x")',
  crmId: "DS-000184 22",
};

/** The fields a legacy row can hold: the record-only ones (the CRM id) never had a column. */
const LEGACY_FULL: LeadPii = { ...FULL };
delete LEGACY_FULL.crmId;

/** Flips one bit of the envelope's ciphertext. */
function flipBit(envelope: string): string {
  const [v, key, iv, body] = envelope.split(".") as [string, string, string, string];
  const buf = Buffer.from(body, "base64url");
  buf[3] = buf[3]! ^ 0x01;
  return [v, key, iv, buf.toString("base64url")].join(".");
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DecryptionError);
    return (err as DecryptionError).reason;
  }
  throw new Error("expected decryption to fail");
}

describe("the lead record envelope", () => {
  it("round-trips every personal field in one envelope", () => {
    const id = randomUUID();
    const { pii_enc } = encryptLeadPii(FULL, dealershipId, id);
    expect(pii_enc).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/);
    expect(decryptLeadPii({ id, dealership_id: dealershipId, pii_enc })).toEqual(FULL);
    // Each field alone, too: the others read back as null.
    for (const field of Object.keys(FULL) as LeadPiiField[]) {
      const one = encryptLeadPii({ [field]: FULL[field] }, dealershipId, id);
      const back = decryptLeadPii({ id, dealership_id: dealershipId, ...one });
      expect(back[field]).toBe(FULL[field]);
      expect(Object.values(back).filter((v) => v !== null)).toHaveLength(1);
    }
  });

  it("stores nothing for a lead without personal fields, and empty strings as absent", () => {
    const id = randomUUID();
    expect(encryptLeadPii({}, dealershipId, id)).toEqual({ pii_enc: null });
    const { pii_enc } = encryptLeadPii({ firstName: "", phone: "+13125550100" }, dealershipId, id);
    expect(decryptLeadPii({ id, dealership_id: dealershipId, pii_enc })).toMatchObject({ firstName: null });
  });

  it("refuses a flipped bit, a move to another lead or dealership, and an unknown key id", () => {
    const id = randomUUID();
    const { pii_enc } = encryptLeadPii(FULL, dealershipId, id);
    const row = { id, dealership_id: dealershipId, pii_enc: pii_enc! };
    expect(reasonOf(() => decryptLeadPii({ ...row, pii_enc: flipBit(pii_enc!) }))).toBe("authentication_failed");
    expect(reasonOf(() => decryptLeadPii({ ...row, id: randomUUID() }))).toBe("authentication_failed");
    expect(reasonOf(() => decryptLeadPii({ ...row, dealership_id: randomUUID() }))).toBe("authentication_failed");
    const unknownKey = pii_enc!.replace(/^v1\.[^.]+\./, "v1.retired.");
    expect(reasonOf(() => decryptLeadPii({ ...row, pii_enc: unknownKey }))).toBe("unknown_key");
    // A per-field envelope of this very lead is not a record (bound to its own column).
    const field = encryptField("Zoë", leadColumnContext(dealershipId, id, "first_name_enc"));
    expect(reasonOf(() => decryptLeadPii({ ...row, pii_enc: field }))).toBe("authentication_failed");
    // Authentic but not a record (which only a holder of the key could make): refused as malformed.
    const notRecord = encryptField('["x"]', leadRecordContext(dealershipId, id));
    expect(reasonOf(() => decryptLeadPii({ ...row, pii_enc: notRecord }))).toBe("malformed");
    // Nor is a record envelope usable as a per-field value.
    expect(reasonOf(() => decryptLeadPii({ id, dealership_id: dealershipId, first_name_enc: pii_enc! }))).toBe(
      "authentication_failed",
    );
  });

  it("a record that will not decrypt makes every field unreadable, with one failure and no value", () => {
    const id = randomUUID();
    const other = randomUUID();
    const moved = encryptLeadPii({ firstName: "Intruder", phone: "+13125550199" }, dealershipId, other).pii_enc;
    const { pii, unreadable, failures } = decryptLeadPiiPerField({ id, dealership_id: dealershipId, pii_enc: moved });
    expect(unreadable).toEqual([...LEAD_PII_FIELDS]);
    expect(unreadable).toContain("crmId");
    expect(Object.values(pii).every((v) => v === null)).toBe(true);
    expect(failures).toEqual([{ leadId: id, column: "pii_enc", reason: "authentication_failed" }]);
    expect(JSON.stringify(failures)).not.toMatch(/Intruder|555/);

    const foreign = parseKeyring(`gone:${generateKey()}`, generateKey());
    const underGoneKey = encryptLeadPii({ notes: "secret" }, dealershipId, id, foreign).pii_enc;
    expect(decryptLeadPiiPerField({ id, dealership_id: dealershipId, pii_enc: underGoneKey }).failures).toEqual([
      { leadId: id, column: "pii_enc", reason: "unknown_key" },
    ]);
  });

  it("re-encrypting the record (an edit) gives a new envelope that reads back the new value", () => {
    const id = randomUUID();
    const a = encryptLeadPii(FULL, dealershipId, id).pii_enc;
    const b = encryptLeadPii({ ...FULL, notes: "changed" }, dealershipId, id).pii_enc;
    expect(b).not.toBe(a);
    expect(decryptLeadPii({ id, dealership_id: dealershipId, pii_enc: b }).notes).toBe("changed");
  });
});

describe("legacy per-field rows (before rotation converts them)", () => {
  const legacyRow = (id: string, pii: LeadPii) => {
    const row: Record<string, string | null> = { id, dealership_id: dealershipId };
    for (const [field, column] of Object.entries(LEAD_LEGACY_COLUMNS)) {
      const value = pii[field as LeadPiiField];
      row[column] = value ? encryptField(value, leadColumnContext(dealershipId, id, column), keyringFromEnv()) : null;
    }
    return row as { id: string; dealership_id: string } & Record<string, string | null>;
  };

  it("read field by field, every field", () => {
    const id = randomUUID();
    expect(decryptLeadPii(legacyRow(id, FULL))).toEqual(LEGACY_FULL);
  });

  it("the record-only CRM id has no legacy column: a legacy row reads without it", () => {
    expect(Object.keys(LEAD_LEGACY_COLUMNS)).toHaveLength(10);
    expect(Object.keys(LEAD_LEGACY_COLUMNS)).not.toContain("crmId");
    expect(LEAD_PII_FIELDS).toContain("crmId");
    const { pii, unreadable } = decryptLeadPiiPerField(legacyRow(randomUUID(), FULL));
    expect(pii.crmId ?? null).toBeNull();
    expect(unreadable).toEqual([]);
  });

  it("mark each unreadable field on its own, with the cipher's reason and no value", () => {
    const id = randomUUID();
    const row = legacyRow(id, { firstName: "Marisol", lastName: "Okafor", phone: "+13125550100", notes: "VIP" });
    row.first_name_enc = legacyRow(randomUUID(), { firstName: "Intruder" }).first_name_enc!; // moved from another row
    row.last_name_enc = "not-an-envelope";
    const foreign = parseKeyring(`gone:${generateKey()}`, generateKey());
    row.notes_enc = encryptField("secret", leadColumnContext(dealershipId, id, "notes_enc"), foreign);

    const { pii, unreadable, failures } = decryptLeadPiiPerField(row);
    expect(pii).toMatchObject({ firstName: null, lastName: null, phone: "+13125550100", notes: null, email: null });
    expect(unreadable).toEqual(["firstName", "lastName", "notes"]);
    expect(failures).toEqual([
      { leadId: id, column: "first_name_enc", reason: "authentication_failed" },
      { leadId: id, column: "last_name_enc", reason: "malformed" },
      { leadId: id, column: "notes_enc", reason: "unknown_key" },
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/Intruder|Marisol|secret/);
  });
});
