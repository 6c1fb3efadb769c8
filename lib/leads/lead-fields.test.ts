import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKey, parseKeyring } from "@/lib/crypto/keyring";
import { decryptLeadPiiPerField, encryptLeadPii } from "./lead-fields";

const dealershipId = randomUUID();

describe("decryptLeadPiiPerField", () => {
  it("decrypts every readable field and marks each unreadable one, with the cipher's reason and no value", () => {
    const id = randomUUID();
    const other = randomUUID();
    const row = {
      id,
      dealership_id: dealershipId,
      ...encryptLeadPii(
        { firstName: "Marisol", lastName: "Okafor", phone: "+13125550100", notes: "VIP" },
        dealershipId,
        id,
      ),
    };
    // Moved from another row (well-formed, bound elsewhere), malformed, and under a key the keyring lacks.
    row.first_name_enc = encryptLeadPii({ firstName: "Intruder" }, dealershipId, other).first_name_enc;
    row.last_name_enc = "not-an-envelope";
    const foreignKeyring = parseKeyring(`gone:${generateKey()}`, generateKey());
    row.notes_enc = encryptLeadPii({ notes: "secret" }, dealershipId, id, foreignKeyring).notes_enc;

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

  it("a row without failures has nothing unreadable", () => {
    const id = randomUUID();
    const row = { id, dealership_id: dealershipId, ...encryptLeadPii({ firstName: "Ann" }, dealershipId, id) };
    expect(decryptLeadPiiPerField(row)).toMatchObject({
      pii: { firstName: "Ann", lastName: null },
      unreadable: [],
      failures: [],
    });
  });
});
