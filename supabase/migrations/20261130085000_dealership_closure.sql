set lock_timeout = '5s';
set statement_timeout = '60s';

-- Account deletion (issue 11, item 4). An owner closes the dealership (re-authenticated, typing its
-- name); from that moment no member reaches anything of it, through the app or the Data API: the
-- four membership helpers every policy and definer function asks leave closed dealerships out.
-- Sending stops (the outbound trigger and the worker's claim refuse a closed dealership) while
-- inbound replies, STOP included, are still recorded and confirmed. An owner at the time of the
-- closure can reopen it until purge_after (30 days); after that the purge job, running as its own
-- NOLOGIN role `purger`, hard-deletes every row of the dealership and keeps only the opt-out
-- tombstones (blind indexes) and a minimal record that it existed and was purged.

-- ---------------------------------------------------------------------------------------------
-- 1. The closure columns and the permission.
-- ---------------------------------------------------------------------------------------------
alter table public.dealerships
  add column closed_at timestamptz,
  add column closed_by uuid,
  add column purge_after timestamptz;
-- Members may read them (dealerships_select) but not write them: they are not in the update grant.

-- dealerships is tiny (one row per customer): validating at once holds its lock only briefly.
alter table public.dealerships
  add constraint dealerships_closure_consistent
  check ((closed_at is null) = (purge_after is null) and (closed_at is null or purge_after > closed_at)) not valid;
-- squawk-ignore constraint-missing-not-valid
alter table public.dealerships validate constraint dealerships_closure_consistent;
-- The purge job looks for closed dealerships whose time has come.
-- squawk-ignore require-concurrent-index-creation
create index dealerships_purge_after_idx on public.dealerships (purge_after) where closed_at is not null;

insert into private.role_permissions (permission, role) values ('dealership.close', 'owner');

-- ---------------------------------------------------------------------------------------------
-- 2. The membership helpers (latest bodies in 20261130030500_mfa_assurance.sql) leave closed
--    dealerships out. One more primary-key probe each; the policies still evaluate them once per
--    statement (`in (select ...)`, `(select ...)`).
-- ---------------------------------------------------------------------------------------------
create or replace function private.dealership_ids_for_current_user(p_roles public.membership_role[] default null)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  join public.dealerships d on d.id = m.dealership_id
  where m.user_id = (select auth.uid())
    and (p_roles is null or m.role = any (p_roles))
    and d.closed_at is null
    and (select private.session_meets_assurance())
$$;

create or replace function private.has_role_on_dealership(p_dealership_id uuid, p_roles public.membership_role[] default null)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    join public.dealerships d on d.id = m.dealership_id
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
      and (p_roles is null or m.role = any (p_roles))
      and d.closed_at is null
  ) and (select private.session_meets_assurance())
$$;

create or replace function private.has_permission(p_dealership_id uuid, p_permission text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join private.role_permissions rp on rp.role = m.role and rp.permission = p_permission
    join public.dealerships d on d.id = m.dealership_id
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
      and d.closed_at is null
  ) and (select private.session_meets_assurance())
$$;

create or replace function private.dealership_ids_with_permission(p_permission text)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  join private.role_permissions rp on rp.role = m.role and rp.permission = p_permission
  join public.dealerships d on d.id = m.dealership_id
  where m.user_id = (select auth.uid())
    and d.closed_at is null
    and (select private.session_meets_assurance())
$$;

-- ---------------------------------------------------------------------------------------------
-- 3. Closing, listing and reopening, for signed-in users.
-- ---------------------------------------------------------------------------------------------

/*
 * Close the dealership: owners (dealership.close), after a recent re-authentication, typing its
 * name. Every member loses access in this transaction's commit; open invitations are withdrawn
 * (an invitation accepted now would admit someone to a closed dealership, and reopening does not
 * bring them back). Returns purge_after (closed_at + 30 days). Audited as dealership.closed.
 */
create function public.close_dealership(p_dealership_id uuid, p_confirm_name text) returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
  v_now timestamptz := now();
  v_purge_after timestamptz := now() + interval '30 days';
  v_withdrawn integer;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'dealership.close') then
    raise exception 'not allowed to close this dealership' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  -- FOR UPDATE: waits for sends in flight (they hold FOR SHARE) and serializes two closures.
  select d.id, d.name, d.closed_at into v_d from public.dealerships d where d.id = p_dealership_id for update;
  if v_d.closed_at is not null then
    raise exception 'this dealership is already closed' using errcode = 'RL101';
  end if;
  if p_confirm_name is null or btrim(p_confirm_name) <> btrim(v_d.name) then
    raise exception 'type the dealership''s name to confirm' using errcode = 'RL100';
  end if;
  update public.dealerships
     set closed_at = v_now, closed_by = (select auth.uid()), purge_after = v_purge_after
   where id = p_dealership_id;
  update public.invitations i set revoked_at = v_now
   where i.dealership_id = p_dealership_id and i.accepted_at is null and i.revoked_at is null;
  get diagnostics v_withdrawn = row_count;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'dealership.closed', 'dealership', p_dealership_id::text,
          jsonb_build_object('purge_after', v_purge_after, 'invitations_withdrawn', v_withdrawn));
  return v_purge_after;
end
$$;

/*
 * The closed dealerships the caller belongs to (any role), with when they close for good and
 * whether the caller may reopen them (their role holds dealership.close). Memberships stay as
 * they were at the closure, since nobody can change them while it is closed.
 */
create function public.my_closed_dealerships()
returns table (
  dealership_id uuid, name text, role public.membership_role, closed_at timestamptz, purge_after timestamptz,
  can_reopen boolean
)
language sql stable security definer set search_path = ''
as $$
  select d.id, d.name, m.role, d.closed_at, d.purge_after,
         exists (select 1 from private.role_permissions rp where rp.role = m.role and rp.permission = 'dealership.close')
  from public.memberships m
  join public.dealerships d on d.id = m.dealership_id
  where m.user_id = (select auth.uid())
    and d.closed_at is not null
    and (select private.session_meets_assurance())
  order by d.closed_at desc, d.id
$$;

/*
 * Undo a closure: an owner of the closed dealership (their membership's role holds
 * dealership.close), after a recent re-authentication, before purge_after. Everyone's access comes
 * back as it was. Audited as dealership.reopened.
 */
create function public.reopen_dealership(p_dealership_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
begin
  if (select auth.uid()) is null or not (select private.session_meets_assurance()) or not exists (
       select 1 from public.memberships m
       join private.role_permissions rp on rp.role = m.role and rp.permission = 'dealership.close'
       where m.dealership_id = p_dealership_id and m.user_id = (select auth.uid())) then
    raise exception 'not allowed to reopen this dealership' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  -- FOR UPDATE: the purge locks the same row, so a reopening and a purge never both happen.
  select d.id, d.closed_at, d.purge_after into v_d from public.dealerships d where d.id = p_dealership_id for update;
  if v_d.closed_at is null then
    raise exception 'this dealership is not closed' using errcode = 'RL101';
  end if;
  if now() >= v_d.purge_after then
    raise exception 'the time to reopen this dealership has passed' using errcode = 'RL102';
  end if;
  update public.dealerships set closed_at = null, closed_by = null, purge_after = null where id = p_dealership_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'dealership.reopened', 'dealership', p_dealership_id::text,
          jsonb_build_object('closed_at', v_d.closed_at));
end
$$;

revoke all on function public.close_dealership(uuid, text) from public, anon;
revoke all on function public.my_closed_dealerships() from public, anon;
revoke all on function public.reopen_dealership(uuid) from public, anon;
grant execute on function public.close_dealership(uuid, text) to authenticated;
grant execute on function public.my_closed_dealerships() to authenticated;
grant execute on function public.reopen_dealership(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- 4. Sending stops. Same bodies as in 20261130060100_dealership_onboarding.sql plus closed_at.
--    Inbound messages (and the STOP/HELP auto-replies, auto_reply = true) still go through: a
--    closed dealership's leads can still opt out, and that opt-out survives a reopening or, as
--    a tombstone, the purge.
-- ---------------------------------------------------------------------------------------------

/* Refuse an outbound message (other than a compliance auto-reply) of a dealership that is not active or is closed. */
create or replace function private.refuse_send_unless_active() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_status public.dealership_status;
  v_closed_at timestamptz;
begin
  if new.direction = 'outbound' and not new.auto_reply then
    -- FOR SHARE: a suspension or closure waits for this send's transaction, and no send starts after it commits.
    select d.status, d.closed_at into v_status, v_closed_at
    from public.dealerships d where d.id = new.dealership_id for share;
    if v_closed_at is not null then
      raise exception 'dealership is closed' using errcode = 'RL103';
    end if;
    if v_status is distinct from 'active' then
      raise exception 'dealership is not active' using errcode = 'RL070';
    end if;
  end if;
  return new;
end
$$;

/* Claim due rows of a sending campaign, only while its dealership is active and not closed. */
create or replace function private.claim_campaign_recipients(p_campaign_id uuid, p_now timestamptz, p_limit integer, p_lease_seconds integer)
returns table (
  recipient_id bigint, lead_id uuid, attempts integer, claim_token uuid, lead jsonb, rep_name text,
  first_message boolean, history jsonb
)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform 1 from public.campaigns c join public.dealerships d on d.id = c.dealership_id
   where c.id = p_campaign_id and d.status = 'active' and d.closed_at is null
   for share of d;
  if not found then
    return;
  end if;
  return query select * from private.claim_campaign_recipients_unchecked(p_campaign_id, p_now, p_limit, p_lease_seconds);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- 5. The purge: its role, what it leaves, and its two functions.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'purger') then
    create role purger nologin noinherit;
  end if;
end
$$;
grant usage on schema private to purger;
grant purger to postgres;

-- The minimal record that an account existed and was purged: no name, no person, no content.
create table private.purged_dealerships (
  id uuid primary key,
  closed_at timestamptz not null,
  purge_after timestamptz not null,
  purged_at timestamptz not null,
  -- Rows deleted per table ("public.leads": 1234, ...), for the record and for support.
  row_counts jsonb not null check (jsonb_typeof(row_counts) = 'object')
);
alter table private.purged_dealerships enable row level security;
revoke all on private.purged_dealerships from public, anon, authenticated;

-- The opt-out tombstones that survive the purge: the phone's blind index only (HMAC keyed by the
-- dealership id, so they match nothing of any other dealership; see README "Closing your account").
create table private.purged_opt_outs (
  dealership_id uuid not null references private.purged_dealerships (id),
  phone_bidx text not null check (phone_bidx ~ '^[A-Za-z0-9_-]{43}$'),
  primary key (dealership_id, phone_bidx)
);
alter table private.purged_opt_outs enable row level security;
revoke all on private.purged_opt_outs from public, anon, authenticated;

/* Closed dealerships whose purge_after has passed at p_now (the purge job's injectable clock). */
create function private.dealerships_due_for_purge(p_now timestamptz)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select d.id from public.dealerships d
  where d.closed_at is not null and d.purge_after <= p_now
  order by d.purge_after, d.id
$$;

/*
 * Every table that holds a dealership's rows: each base table of public and private with a
 * dealership_id column (a table added later is covered without a change here), but not the
 * purge's own tombstones.
 */
create function private.dealership_tables()
returns table (schema_name text, table_name text)
language sql stable security definer set search_path = ''
as $$
  select n.nspname::text, c.relname::text
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where a.attname = 'dealership_id' and not a.attisdropped and a.attnum > 0
    and c.relkind in ('r', 'p') and not c.relispartition
    and n.nspname in ('public', 'private')
    and (n.nspname, c.relname) <> ('private', 'purged_opt_outs')
  order by 1, 2
$$;

/*
 * Hard-delete one closed dealership whose purge_after has passed at p_now: count its rows in
 * every table, keep its opt-out tombstones (the blind index of every do-not-contact number and
 * every opted-out lead's phone) and the minimal record, then delete the dealership (every table
 * cascades from it; the append-only audit log's trigger lets the delete through on the same
 * transaction mark as the retention prune, and no application role holds a delete grant on it)
 * and its audit chain head. Refuses to
 * finish (RL104, nothing deleted) if any row of it is left anywhere. Returns the row counts, or
 * null when it is not due (reopened, not closed, already purged).
 */
create function private.purge_dealership(p_dealership_id uuid, p_now timestamptz) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
  v_t record;
  v_n bigint;
  v_counts jsonb := '{}'::jsonb;
  v_tombstones bigint;
  v_left boolean;
begin
  -- FOR UPDATE: a reopening in flight finishes first (then closed_at is null and nothing happens).
  select d.id, d.closed_at, d.purge_after into v_d from public.dealerships d where d.id = p_dealership_id for update;
  if v_d.id is null or v_d.closed_at is null or v_d.purge_after > p_now then
    return null;
  end if;
  -- The chain head before its rows, in the order the retention prune takes them (no deadlock).
  perform 1 from private.audit_chain_heads h where h.dealership_id = p_dealership_id for update;

  for v_t in select * from private.dealership_tables() loop
    execute format('select count(*) from %I.%I where dealership_id = $1', v_t.schema_name, v_t.table_name)
      into v_n using p_dealership_id;
    if v_n > 0 then
      v_counts := v_counts || jsonb_build_object(v_t.schema_name || '.' || v_t.table_name, v_n);
    end if;
  end loop;

  insert into private.purged_dealerships (id, closed_at, purge_after, purged_at, row_counts)
  values (p_dealership_id, v_d.closed_at, v_d.purge_after, p_now, v_counts);
  insert into private.purged_opt_outs (dealership_id, phone_bidx)
  select p_dealership_id, s.phone_bidx from (
    select dnc.phone_bidx from public.do_not_contact dnc where dnc.dealership_id = p_dealership_id
    union
    select l.phone_bidx from public.leads l
    where l.dealership_id = p_dealership_id and l.consent_status = 'opted_out' and l.phone_bidx is not null
  ) s;
  get diagnostics v_tombstones = row_count;
  update private.purged_dealerships
     set row_counts = v_counts || jsonb_build_object('opt_out_tombstones', v_tombstones)
   where id = p_dealership_id;

  perform set_config('refire.audit_prune', 'on', true);
  delete from public.dealerships d where d.id = p_dealership_id;
  perform set_config('refire.audit_prune', '', true);
  delete from private.audit_chain_heads h where h.dealership_id = p_dealership_id;

  -- A table whose rows do not cascade from the dealership would keep them: refuse, so nothing is
  -- half-purged and the job reports it.
  for v_t in select * from private.dealership_tables() loop
    execute format('select exists (select 1 from %I.%I where dealership_id = $1)', v_t.schema_name, v_t.table_name)
      into v_left using p_dealership_id;
    if v_left then
      raise exception 'purge left rows in %.%', v_t.schema_name, v_t.table_name using errcode = 'RL104';
    end if;
  end loop;
  return v_counts || jsonb_build_object('opt_out_tombstones', v_tombstones);
end
$$;

revoke all on function private.dealerships_due_for_purge(timestamptz) from public, anon, authenticated;
revoke all on function private.dealership_tables() from public, anon, authenticated;
revoke all on function private.purge_dealership(uuid, timestamptz) from public, anon, authenticated;
grant execute on function private.dealerships_due_for_purge(timestamptz) to purger;
grant execute on function private.purge_dealership(uuid, timestamptz) to purger;
