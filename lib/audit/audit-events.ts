/**
 * The audit log, read by owners and admins. Nobody appends to it directly: each row is written by
 * the database operation it describes (triggers on leads, do_not_contact, sending_numbers,
 * lead_imports, dealerships and reply_templates; definer functions such as
 * record_dealership_switch, reconsent_lead and the account events of lib/audit/account-events.ts),
 * with the actor taken from the verified JWT. Metadata never contains personal data.
 */
import type { Fragment } from "postgres";
import type { UserScope } from "@/lib/db/scope";
import { AUDIT_PAGE_SIZE, type AuditFilters, type AuditFilterValues } from "./audit-filters.schema";

export interface AuditEvent {
  id: string;
  /** The row's position in the dealership's hash chain (the log's order and the page cursor). */
  chainSeq: number;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** One page of the filtered log, newest first, with the cursors of its neighbours. */
export interface AuditPage {
  events: AuditEvent[];
  /** Cursor (`after`) of the newer page, or null on the first page. */
  newer: number | null;
  /** Cursor (`before`) of the older page, or null on the last page. */
  older: number | null;
}

/** Who and what the filters offer: members by id (the e-mail is shown, never put in the URL). */
export interface AuditFilterChoices {
  actors: { userId: string; label: string }[];
  actions: string[];
}

/** Record that the current user switched to the scope's dealership (the database checks both memberships). */
export async function recordDealershipSwitch({ sql, dealershipId }: UserScope, from: string | null): Promise<void> {
  await sql`select public.record_dealership_switch(${dealershipId}, ${from})`;
}

/** The SQL condition of the filters (UTC days; "family.*" matches every action of the family). */
export function auditFilterCondition(sql: UserScope["sql"], dealershipId: string, f: AuditFilterValues): Fragment {
  const actor =
    f.actor === undefined
      ? sql``
      : f.actor === "system"
        ? sql`and actor_user_id is null`
        : sql`and actor_user_id = ${f.actor}`;
  const action =
    f.action === undefined
      ? sql``
      : f.action.endsWith(".*")
        ? sql`and starts_with(action, ${f.action.slice(0, -1)})`
        : sql`and action = ${f.action}`;
  const from = f.from ? sql`and created_at >= ${`${f.from}T00:00:00Z`}::timestamptz` : sql``;
  const to = f.to ? sql`and created_at < ${`${f.to}T00:00:00Z`}::timestamptz + interval '1 day'` : sql``;
  return sql`dealership_id = ${dealershipId} ${actor} ${action} ${from} ${to}`;
}

/** Each member's e-mail by user id; actors no longer in the team are "former member". */
export async function memberEmails({ sql, dealershipId }: UserScope): Promise<Map<string, string>> {
  const members = await sql<{ user_id: string; email: string }[]>`
    select user_id, email from public.dealership_members(${dealershipId})`;
  return new Map(members.map((m) => [m.user_id, m.email]));
}

/**
 * The actor as the log shows it: the member's e-mail, "platform operator" for an operator's
 * support and console actions (operators are no members), "former member", or null for the system.
 */
export const actorLabel = (emails: Map<string, string>, userId: string | null, action: string): string | null =>
  userId
    ? (emails.get(userId) ?? (/^(support|platform)\./.test(action) ? "platform operator" : "former member"))
    : null;

type Row = {
  id: string;
  chain_seq: string;
  actor_user_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
};

/**
 * One page of the dealership's log (RLS: owners and admins only), filtered, newest first. Paged
 * by chain position (keyset): `before` shows the rows older than a position, `after` the rows
 * newer than one, neither the newest page.
 */
export async function listAuditEvents(
  scope: UserScope,
  filters: AuditFilters,
  limit = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  const { sql, dealershipId } = scope;
  const where = auditFilterCondition(sql, dealershipId, filters);
  const newerFirst = filters.after === undefined;
  const cursor =
    filters.before !== undefined
      ? sql`and chain_seq < ${filters.before}`
      : filters.after !== undefined
        ? sql`and chain_seq > ${filters.after}`
        : sql``;
  const [rows, emails] = await Promise.all([
    sql<Row[]>`
      select id::text, chain_seq::text, actor_user_id, action, target_type, target_id, metadata, created_at
      from public.audit_events e where ${where} ${cursor}
      -- The table's column, not the text output of the same name (which would sort "10" before "9").
      order by e.chain_seq ${newerFirst ? sql`desc` : sql`asc`} limit ${limit + 1}`,
    memberEmails(scope),
  ]);
  const more = rows.length > limit;
  // Paging back reached the newest rows: show the newest full page rather than a short one.
  if (!newerFirst && !more) return listAuditEvents(scope, { ...filters, after: undefined }, limit);
  const page = rows.slice(0, limit);
  if (!newerFirst) page.reverse();
  const events = page.map((e) => ({
    id: e.id,
    chainSeq: Number(e.chain_seq),
    action: e.action,
    actorUserId: e.actor_user_id,
    actorEmail: actorLabel(emails, e.actor_user_id, e.action),
    targetType: e.target_type,
    targetId: e.target_id,
    metadata: e.metadata,
    createdAt: e.created_at,
  }));
  const first = events[0]?.chainSeq;
  const last = events.at(-1)?.chainSeq;
  // Whether rows exist beyond the page on the side the query did not look at.
  const beyond = async (cond: Fragment) =>
    (
      await sql<{ found: boolean }[]>`select exists (select 1 from public.audit_events where ${where} ${cond}) as found`
    )[0]!.found;
  const hasNewer = newerFirst
    ? filters.before !== undefined && first !== undefined && (await beyond(sql`and chain_seq > ${first}`))
    : more;
  const hasOlder = newerFirst ? more : last !== undefined && (await beyond(sql`and chain_seq < ${last}`));
  return {
    events,
    newer: hasNewer && first !== undefined ? first : null,
    older: hasOlder && last !== undefined ? last : null,
  };
}

/** The filters' choices: current members, former members who appear in the log, and the actions recorded. */
export async function listAuditFilterChoices(scope: UserScope): Promise<AuditFilterChoices> {
  const { sql, dealershipId } = scope;
  const [members, actorIds, actions] = await Promise.all([
    sql<{ user_id: string; email: string; display_name: string }[]>`
      select user_id, email, display_name from public.dealership_members(${dealershipId}) order by display_name, email`,
    sql<{ actor_user_id: string }[]>`
      select distinct actor_user_id from public.audit_events
      where dealership_id = ${dealershipId} and actor_user_id is not null`,
    sql<{ action: string }[]>`
      select distinct action from public.audit_events where dealership_id = ${dealershipId} order by action`,
  ]);
  const memberIds = new Set(members.map((m) => m.user_id));
  const former = actorIds
    .map((a) => a.actor_user_id)
    .filter((id) => !memberIds.has(id))
    .sort()
    .map((id) => ({ userId: id, label: `Former member (${id.slice(0, 8)})` }));
  return {
    actors: [...members.map((m) => ({ userId: m.user_id, label: `${m.display_name} (${m.email})` })), ...former],
    actions: actions.map((a) => a.action),
  };
}
