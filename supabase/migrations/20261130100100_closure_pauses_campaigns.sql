set lock_timeout = '5s';
set statement_timeout = '60s';

-- Campaigns and the closure (issue 11 follow-up). Until now a closure only stopped the worker
-- (it claims nothing of a closed dealership) and left each campaign's status alone, so a campaign
-- that was sending went on by itself the moment the dealership was reopened, days later, to
-- people who had heard nothing for weeks. Now closing pauses every scheduled or sending campaign
-- (status paused, paused_at = the closure's time, a pause reason the campaign page shows), each
-- audited as `campaign.paused` with `cause: dealership.closed`; reopening leaves them paused and
-- says how many in its audit row; an owner or manager resumes each one when they choose.
-- Same bodies as in 20261130085000_dealership_closure.sql plus those parts.

/* The pause reason a closure writes on each campaign it pauses (shown on the campaign page). */
create function private.closure_pause_reason(p_closed_at timestamptz) returns text
language sql stable set search_path = ''
as $$
  select 'Paused because the dealership was closed on ' || to_char(p_closed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI')
         || ' UTC. Reopening it does not resume campaigns: resume this one when you are ready.'
$$;
revoke all on function private.closure_pause_reason(timestamptz) from public, anon, authenticated;

/*
 * Close the dealership: owners (dealership.close), after a recent re-authentication, typing its
 * name. Every member loses access in this transaction's commit; open invitations are withdrawn;
 * every scheduled or sending campaign is paused (each audited as campaign.paused, cause
 * dealership.closed) and stays paused after a reopening. Returns purge_after (closed_at + 30
 * days). Audited as dealership.closed (purge date, invitations withdrawn, campaigns paused).
 */
create or replace function public.close_dealership(p_dealership_id uuid, p_confirm_name text) returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
  v_c record;
  v_now timestamptz := now();
  v_purge_after timestamptz := now() + interval '30 days';
  v_withdrawn integer;
  v_paused integer := 0;
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
  -- paused_at = closed_at marks the campaigns this closure paused (reopen counts them).
  for v_c in
    select c.id, c.status from public.campaigns c
    where c.dealership_id = p_dealership_id and c.status in ('scheduled', 'sending')
    order by c.id for update
  loop
    update public.campaigns c
       set status = 'paused', paused_at = v_now, pause_reason = private.closure_pause_reason(v_now)
     where c.id = v_c.id;
    insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
    values (p_dealership_id, (select auth.uid()), 'campaign.paused', 'campaign', v_c.id::text,
            jsonb_build_object('from', v_c.status, 'cause', 'dealership.closed'));
    v_paused := v_paused + 1;
  end loop;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'dealership.closed', 'dealership', p_dealership_id::text,
          jsonb_build_object('purge_after', v_purge_after, 'invitations_withdrawn', v_withdrawn,
                             'campaigns_paused', v_paused));
  return v_purge_after;
end
$$;

/*
 * Undo a closure: an owner of the closed dealership (their membership's role holds
 * dealership.close), after a recent re-authentication, before purge_after. Everyone's access comes
 * back as it was; the campaigns the closure paused stay paused (resumed one by one, by choice).
 * Audited as dealership.reopened (when it was closed, how many campaigns stay paused by it).
 */
create or replace function public.reopen_dealership(p_dealership_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
  v_still_paused integer;
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
  select count(*)::integer into v_still_paused from public.campaigns c
   where c.dealership_id = p_dealership_id and c.status = 'paused' and c.paused_at = v_d.closed_at;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'dealership.reopened', 'dealership', p_dealership_id::text,
          jsonb_build_object('closed_at', v_d.closed_at, 'campaigns_left_paused', v_still_paused));
end
$$;

-- Dealerships closed before this migration: pause their active campaigns the same way now, so
-- none of them resumes by itself on a reopening. No actor (the platform's change), same audit row.
do $$
declare
  v_c record;
begin
  for v_c in
    select c.id, c.status, c.dealership_id, d.closed_at
    from public.campaigns c join public.dealerships d on d.id = c.dealership_id
    where d.closed_at is not null and c.status in ('scheduled', 'sending')
    order by c.id for update of c
  loop
    update public.campaigns c
       set status = 'paused', paused_at = v_c.closed_at, pause_reason = private.closure_pause_reason(v_c.closed_at)
     where c.id = v_c.id;
    insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
    values (v_c.dealership_id, null, 'campaign.paused', 'campaign', v_c.id::text,
            jsonb_build_object('from', v_c.status, 'cause', 'dealership.closed'));
  end loop;
end
$$;
