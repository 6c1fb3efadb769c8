import { randomUUID } from "node:crypto";
import { blindIndex } from "../../lib/crypto/blind-index";
import { parseKeyring } from "../../lib/crypto/keyring";
import { encryptLeadPii } from "../../lib/leads/lead-fields";
import { LOCAL_SECRETS } from "../../local-stack/config";
import { createSpecOperator } from "../operator/operator.po";
import { createSpecDealership, e2eDb } from "../team/team.po";

/**
 * Support access fixtures: a dealership of the spec's own (owner, one lead) and an operator of
 * the spec's own (sign-ins are limited per e-mail, and other specs sign the demo operator in), with
 * the authenticator operators need (its key: `operatorSecret`).
 */
export async function createSupportFixture(label: string) {
  const dealership = await createSpecDealership(label);
  const sql = e2eDb();
  try {
    const keyring = parseKeyring(LOCAL_SECRETS.piiKeys, LOCAL_SECRETS.blindIndexKey);
    const leadId = randomUUID();
    const phone = `+1312555${String(Math.floor(Math.random() * 90) + 10)}${String(Math.floor(Math.random() * 90) + 10)}`;
    await sql`insert into public.leads ${sql({
      id: leadId,
      dealership_id: dealership.id,
      ...encryptLeadPii({ firstName: "Quentin", lastName: "Support", phone }, dealership.id, leadId, keyring),
      phone_bidx: blindIndex("phone", phone, dealership.id, keyring),
    })}`;
    const operator = await createSpecOperator({ sql, email: `operator-${dealership.tag}@support-spec.test` });
    return {
      ...dealership,
      leadId,
      operatorEmail: operator.email,
      operatorId: operator.id,
      operatorSecret: operator.secret!,
    };
  } finally {
    await sql.end();
  }
}

/** Record a request from the operator (as the platform would), granted for an hour unless `pending`. */
export async function addSupportRequest(
  fixture: { id: string; operatorId: string; ownerEmail: string },
  state: "granted" | "pending",
): Promise<void> {
  const sql = e2eDb();
  try {
    if (state === "pending") {
      await sql`insert into public.support_access_requests (dealership_id, operator_user_id, reason)
        values (${fixture.id}, ${fixture.operatorId}, 'Checking why an import failed')`;
      return;
    }
    await sql`insert into public.support_access_requests
      (dealership_id, operator_user_id, reason, status, decided_by, decided_at, expires_at)
      select ${fixture.id}, ${fixture.operatorId}, 'Checking why an import failed', 'granted', u.id, now(),
             now() + interval '1 hour'
      from auth.users u where u.email = ${fixture.ownerEmail}`;
  } finally {
    await sql.end();
  }
}
