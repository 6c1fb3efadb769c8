set lock_timeout = '5s';
set statement_timeout = '60s';

-- Audit log (issue 11, item 5): append-only in the database itself, and tamper-evident.
--
-- 1. Append-only: no role may UPDATE, DELETE or TRUNCATE audit_events. The grants are revoked,
--    and a trigger refuses the statements even for definer functions and the table owner; the
--    only exception is a DELETE inside private.prune_audit_events (the retention prune), which
--    marks its own transaction. actor_user_id loses its foreign key: "on delete set null" was an
--    UPDATE of the log (and would break the chain); the id of a deleted user stays as history.
-- 2. Hash chain per dealership: a BEFORE INSERT trigger gives each row its position in the
--    dealership's chain (chain_seq), the previous row's hash (prev_hash) and its own hash
--    (row_hash = sha256 of private.audit_canonical_text). The chain head lives in
--    private.audit_chain_heads; the trigger locks that row, so concurrent inserts for one
--    dealership serialize while other dealerships proceed. lib/audit/verify-chain.ts recomputes
--    the hashes independently (npm run audit:verify).
-- 3. Retention: private.prune_audit_events deletes the oldest prefix of each chain and records
--    the new anchor (the first kept position and the hash it chains from) in the head row.

alter table public.audit_events drop constraint if exists audit_events_actor_user_id_fkey;

alter table public.audit_events
  add column chain_seq bigint,
  add column prev_hash bytea,
  add column row_hash bytea;

create table private.audit_chain_heads (
  dealership_id uuid primary key,
  last_seq bigint not null default 0,
  last_hash bytea not null default '\x'::bytea,
  -- The first position still kept and the hash it chains from (moves forward with each prune).
  anchor_seq bigint not null default 1,
  anchor_prev_hash bytea not null default '\x'::bytea
);
revoke all on private.audit_chain_heads from public;

/*
 * The canonical text a row's hash covers: every column but the hashes' own, each as
 * "<byte length>:<text>" (or "-" for null), joined by "|". created_at is taken as microseconds
 * since the epoch so the session's TimeZone does not matter; metadata as jsonb's own text.
 */
create function private.audit_canonical_text(
  p_dealership_id uuid,
  p_chain_seq bigint,
  p_id bigint,
  p_actor_user_id uuid,
  p_action text,
  p_target_type text,
  p_target_id text,
  p_metadata jsonb,
  p_created_at timestamptz,
  p_prev_hash bytea
) returns text
language sql immutable set search_path = ''
as $$
  select string_agg(coalesce(octet_length(f) || ':' || f, '-'), '|' order by ord)
  from unnest(array[
    p_dealership_id::text,
    p_chain_seq::text,
    p_id::text,
    p_actor_user_id::text,
    p_action,
    p_target_type,
    p_target_id,
    p_metadata::text,
    (extract(epoch from p_created_at) * 1000000)::bigint::text,
    encode(p_prev_hash, 'hex')
  ]) with ordinality as t (f, ord)
$$;
revoke all on function private.audit_canonical_text(uuid, bigint, bigint, uuid, text, text, text, jsonb, timestamptz, bytea) from public;

/* BEFORE INSERT on audit_events: link the row into its dealership's chain. */
create function private.audit_chain_link() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_head private.audit_chain_heads;
begin
  insert into private.audit_chain_heads (dealership_id) values (new.dealership_id) on conflict do nothing;
  -- The row lock serializes writers of this dealership's chain until their transaction ends.
  select * into strict v_head from private.audit_chain_heads where dealership_id = new.dealership_id for update;
  new.chain_seq := v_head.last_seq + 1;
  new.prev_hash := v_head.last_hash;
  new.row_hash := sha256(convert_to(private.audit_canonical_text(
    new.dealership_id, new.chain_seq, new.id, new.actor_user_id, new.action, new.target_type,
    new.target_id, new.metadata, new.created_at, new.prev_hash), 'UTF8'));
  update private.audit_chain_heads set last_seq = new.chain_seq, last_hash = new.row_hash
  where dealership_id = new.dealership_id;
  return new;
end
$$;
revoke all on function private.audit_chain_link() from public;

/* Refuses every UPDATE, DELETE and TRUNCATE of audit_events except the retention prune's DELETE. */
create function private.audit_refuse_change() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and current_setting('refire.audit_prune', true) = 'on' then
    return old;
  end if;
  raise exception 'the audit log is append-only' using errcode = '42501';
end
$$;
revoke all on function private.audit_refuse_change() from public;

-- Chain the rows already there, per dealership in the order they were written.
do $$
declare
  r record;
begin
  for r in select id, dealership_id, actor_user_id, action, target_type, target_id, metadata, created_at
           from public.audit_events order by dealership_id, id
  loop
    insert into private.audit_chain_heads (dealership_id) values (r.dealership_id) on conflict do nothing;
    with h as (
      update private.audit_chain_heads hh set last_seq = hh.last_seq + 1,
        last_hash = sha256(convert_to(private.audit_canonical_text(
          r.dealership_id, hh.last_seq + 1, r.id, r.actor_user_id, r.action, r.target_type, r.target_id,
          r.metadata, r.created_at, hh.last_hash), 'UTF8'))
      from private.audit_chain_heads old_h
      where hh.dealership_id = r.dealership_id and old_h.dealership_id = r.dealership_id
      returning hh.last_seq, hh.last_hash, old_h.last_hash as prev
    )
    update public.audit_events e set chain_seq = h.last_seq, prev_hash = h.prev, row_hash = h.last_hash
    from h where e.id = r.id;
  end loop;
end
$$;

create trigger audit_events_chain before insert on public.audit_events
  for each row execute function private.audit_chain_link();
create trigger audit_events_append_only before update or delete on public.audit_events
  for each row execute function private.audit_refuse_change();
create trigger audit_events_no_truncate before truncate on public.audit_events
  for each statement execute function private.audit_refuse_change();

-- The table is small (one row per audited action) and every row was just rewritten above, so
-- validating now and a plain index build hold the lock only briefly.
alter table public.audit_events
  add constraint audit_events_chain_present check (chain_seq is not null and prev_hash is not null and row_hash is not null) not valid;
-- squawk-ignore constraint-missing-not-valid
alter table public.audit_events validate constraint audit_events_chain_present;
-- squawk-ignore require-concurrent-index-creation
create unique index audit_events_chain_idx on public.audit_events (dealership_id, chain_seq);

revoke update, delete, truncate on public.audit_events from public, anon, authenticated;
do $$
declare
  v_role text;
begin
  for v_role in select rolname from pg_roles
                where rolname in ('sms_webhook', 'rate_limiter', 'twilio_inventory', 'session_guard', 'sms_sender', 'service_role')
  loop
    execute format('revoke update, delete, truncate on public.audit_events from %I', v_role);
  end loop;
end
$$;

/*
 * Retention prune: per dealership, delete the oldest rows of the chain written before now() -
 * p_keep (the longest prefix that is entirely older, so the kept rows stay one unbroken chain)
 * and move the chain's anchor to the first kept row. Returns the number of rows deleted.
 * Run by the platform (npm run audit:prune, or pg_cron); no application role may execute it.
 */
create function private.prune_audit_events(p_keep interval default interval '2 years') returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_head record;
  v_keep_from bigint;
  v_prev bytea;
  v_deleted bigint := 0;
  v_n bigint;
begin
  if p_keep is null or p_keep < interval '1 day' then
    raise exception 'keep at least one day of audit events' using errcode = '22023';
  end if;
  perform set_config('refire.audit_prune', 'on', true);
  for v_head in select * from private.audit_chain_heads order by dealership_id for update loop
    select coalesce(min(e.chain_seq), v_head.last_seq + 1) into v_keep_from
    from public.audit_events e
    where e.dealership_id = v_head.dealership_id and e.created_at >= now() - p_keep;
    continue when v_keep_from <= v_head.anchor_seq;
    select e.prev_hash into v_prev from public.audit_events e
    where e.dealership_id = v_head.dealership_id and e.chain_seq = v_keep_from;
    delete from public.audit_events e where e.dealership_id = v_head.dealership_id and e.chain_seq < v_keep_from;
    get diagnostics v_n = row_count;
    v_deleted := v_deleted + v_n;
    update private.audit_chain_heads
    set anchor_seq = v_keep_from, anchor_prev_hash = coalesce(v_prev, v_head.last_hash)
    where dealership_id = v_head.dealership_id;
  end loop;
  perform set_config('refire.audit_prune', '', true);
  return v_deleted;
end
$$;
revoke all on function private.prune_audit_events(interval) from public;
