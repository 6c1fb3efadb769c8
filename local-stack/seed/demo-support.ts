/**
 * The demo's support access request: the demo operator asks Southside Auto's owner for access,
 * so `npm run dev` shows the owner's banner, the request under Settings → Support access (grant or
 * deny) and its e-mail in the local mailbox. Southside, not Northside: most e2e specs sign in to
 * Northside, and none of them meets the banner there. A request waits 24 hours at most, so each
 * start asks again when the demo operator has asked Southside nothing in the last 24 hours and
 * holds no live grant there (an owner's answer is left alone for a day).
 */
import type { Sql } from "postgres";
import { composeSupportNotice, type SupportNoticeFacts } from "../../lib/support/support-notice-text";
import { deliverNotice } from "../auth/mailer";
import { localAppEnv, type StackConfig } from "../config";

export const DEMO_SUPPORT_DEALERSHIP = "Southside Auto";
export const DEMO_SUPPORT_REASON =
  "Your manager called about last week's CRM import: some leads seem to be missing their sales rep. " +
  "I'd like to look at the import and the affected leads (read-only).";

/** Ask Southside's owner for support access as the demo operator, unless asked recently (see above). */
export async function seedDemoSupportRequest(
  sql: Sql,
  config: StackConfig,
  operatorEmail: string,
  log: (m: string) => void,
): Promise<void> {
  const requestId = await sql.begin(async (tx) => {
    const [who] = await tx<{ operator_id: string; dealership_id: string }[]>`
      select u.id as operator_id, d.id as dealership_id from auth.users u, public.dealerships d
      where u.email = ${operatorEmail} and d.name = ${DEMO_SUPPORT_DEALERSHIP}`;
    if (!who) return null;
    const [recent] = await tx`
      select 1 from public.support_access_requests
      where dealership_id = ${who.dealership_id} and operator_user_id = ${who.operator_id}
        and (requested_at > now() - private.support_request_ttl() or (status = 'granted' and expires_at > now()))`;
    if (recent) return null;
    // As public.request_support_access does: a lapsed open request is closed first, and the
    // request is audited in the dealership's log (the reason stays in the request).
    await tx`update public.support_access_requests set status = 'expired', decided_at = now()
      where dealership_id = ${who.dealership_id} and operator_user_id = ${who.operator_id} and status = 'pending'`;
    const [row] = await tx<{ id: string }[]>`
      insert into public.support_access_requests (dealership_id, operator_user_id, reason)
      values (${who.dealership_id}, ${who.operator_id}, ${DEMO_SUPPORT_REASON}) returning id`;
    await tx`insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
      values (${who.dealership_id}, ${who.operator_id}, 'support.requested', 'support_access_request', ${row!.id}, '{}'::jsonb)`;
    return row!.id;
  });
  if (!requestId) return;
  // The owners' e-mail, as the app sends it (lib/support/support-notices.ts), into the local mailbox.
  const owners = await sql<
    (SupportNoticeFacts & { owner_email: string })[]
  >`select * from private.support_request_notice(${requestId})`;
  const link = new URL("/settings/support", localAppEnv(config).APP_BASE_URL).toString();
  for (const o of owners) {
    const { subject, text } = composeSupportNotice("requested", o, link);
    await deliverNotice(sql, { to: o.owner_email, subject, body: text, link });
  }
  log(`the demo operator asks ${DEMO_SUPPORT_DEALERSHIP}'s owner for support access (Settings → Support access)`);
}
