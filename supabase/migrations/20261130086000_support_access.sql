set lock_timeout = '5s';
set statement_timeout = '60s';

-- Audited, consented support access (issue 15, item 4). A platform operator asks a dealership for
-- access with a reason; the dealership's owner grants it for a limited time (after a fresh
-- re-authentication), denies it, or revokes it early. The grant is a row that RLS checks:
-- private.support_dealership_ids() names the dealerships where the caller is an operator with a
-- granted, unexpired, unrevoked request (and a session that meets assurance), and SELECT-only
-- policies on the tables support needs let such an operator read those dealerships' rows. There
-- are no insert, update or delete policies for operators: under a grant they read, never write.
-- Access ends by itself at expires_at (the check compares with now(); no job is needed).
--
-- Readable under a grant: dealerships, leads, lead_sources, conversations, messages,
-- consent_events, campaigns, campaign_recipients, lead_imports, sending_numbers,
-- dealership_campaign_settings. Not readable: memberships and invitations (people's accounts and
-- e-mails), audit_events (the owner's record of the operator), do_not_contact (blind indexes
-- only), import_mappings, reply_templates, triage_corrections, and anything in auth or private.
--
-- Every step is an audit event in the dealership's own log: support.requested, support.granted,
-- support.denied, support.revoked, and support.page_viewed for each page the operator opens
-- (written by public.record_support_page_view, which itself checks the grant).

-- ---------------------------------------------------------------------------------------------
-- Permissions: operators may ask (and use what they are given); only owners may grant.
-- ---------------------------------------------------------------------------------------------
insert into private.platform_role_permissions (permission, role) values ('platform.support.request', 'operator');
insert into private.role_permissions (permission, role) values ('support.grant', 'owner');

-- ---------------------------------------------------------------------------------------------
-- The requests. Written only by the functions below; readable by the dealership's owners and by
-- the operator who asked.
-- ---------------------------------------------------------------------------------------------
create table public.support_access_requests (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  operator_user_id uuid not null references auth.users (id) on delete cascade,
  reason text not null check (char_length(reason) between 10 and 500),
  requested_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'granted', 'denied', 'revoked', 'expired')),
  decided_by uuid references auth.users (id) on delete set null,
  decided_at timestamptz,
  expires_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  -- Nobody grants access to themselves (an operator who is also an owner somewhere included).
  constraint support_access_not_self check (decided_by is distinct from operator_user_id),
  constraint support_access_decided check (status = 'pending' or decided_at is not null),
  -- A grant always ends, at most 24 hours after it was given.
  constraint support_access_bounded check (
    status not in ('granted', 'revoked')
    or (expires_at is not null and expires_at > decided_at and expires_at <= decided_at + interval '24 hours')
  ),
  constraint support_access_revoked check ((status = 'revoked') = (revoked_at is not null))
);

-- One open request per operator and dealership.
create unique index support_access_requests_one_pending
  on public.support_access_requests (dealership_id, operator_user_id) where status = 'pending';
-- The policies' lookup: an operator's live grants.
create index support_access_requests_operator_idx
  on public.support_access_requests (operator_user_id, expires_at) where status = 'granted';
-- The owner's list, newest first.
create index support_access_requests_dealership_idx
  on public.support_access_requests (dealership_id, requested_at desc);

alter table public.support_access_requests enable row level security;
revoke all on public.support_access_requests from public, anon, authenticated;
grant select on public.support_access_requests to authenticated;

create policy support_access_requests_select_owner on public.support_access_requests
  for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('support.grant')));
create policy support_access_requests_select_operator on public.support_access_requests
  for select to authenticated
  using (operator_user_id = (select auth.uid()) and (select private.is_platform_operator()));

-- ---------------------------------------------------------------------------------------------
-- The check every support policy asks.
-- ---------------------------------------------------------------------------------------------

/*
 * The dealerships the caller may read as support: they are a platform operator holding
 * platform.support.request, their session meets assurance (aal2 when they have a second factor),
 * and an owner granted their request, which is neither expired nor revoked.
 */
create function private.support_dealership_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select r.dealership_id
  from public.support_access_requests r
  where r.operator_user_id = (select auth.uid())
    and r.status = 'granted'
    and r.revoked_at is null
    and r.expires_at > now()
    -- A JWT read first: for members (every tenant query runs this policy too) it ends the check.
    and (select private.is_platform_operator())
    and (select private.has_platform_permission('platform.support.request'))
    and (select private.session_meets_assurance())
$$;
revoke all on function private.support_dealership_ids() from public, anon;
grant execute on function private.support_dealership_ids() to authenticated;

-- ---------------------------------------------------------------------------------------------
-- SELECT-only policies for operators under a grant (permissive: they add to the members' own).
-- ---------------------------------------------------------------------------------------------
create policy dealerships_select_support on public.dealerships
  for select to authenticated using (id in (select private.support_dealership_ids()));
create policy leads_select_support on public.leads
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy lead_sources_select_support on public.lead_sources
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy conversations_select_support on public.conversations
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy messages_select_support on public.messages
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy consent_events_select_support on public.consent_events
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy campaigns_select_support on public.campaigns
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy campaign_recipients_select_support on public.campaign_recipients
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy lead_imports_select_support on public.lead_imports
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy sending_numbers_select_support on public.sending_numbers
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));
create policy dealership_campaign_settings_select_support on public.dealership_campaign_settings
  for select to authenticated using (dealership_id in (select private.support_dealership_ids()));

-- ---------------------------------------------------------------------------------------------
-- The steps. Each checks who may take it and writes its audit event in the dealership's log.
-- ---------------------------------------------------------------------------------------------

/* How long a pending request can still be granted. */
create function private.support_request_ttl() returns interval
language sql immutable set search_path = ''
as $$ select interval '24 hours' $$;
revoke all on function private.support_request_ttl() from public, anon;
grant execute on function private.support_request_ttl() to authenticated;

/* An operator asks a dealership for support access, with a reason; returns the request's id. */
create function public.request_support_access(p_dealership_id uuid, p_reason text)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_reason text := btrim(coalesce(p_reason, ''));
  v_id uuid;
begin
  if (select auth.uid()) is null
     or not private.has_platform_permission('platform.support.request')
     or not private.session_meets_assurance() then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  if char_length(v_reason) not between 10 and 500 then
    raise exception 'give a reason of 10 to 500 characters' using errcode = 'RL105';
  end if;
  if not exists (select 1 from public.dealerships d where d.id = p_dealership_id) then
    raise exception 'no such dealership' using errcode = 'RL071';
  end if;
  -- A request left pending past its time is closed as expired, so a new one can be made.
  update public.support_access_requests r set status = 'expired', decided_at = now()
   where r.dealership_id = p_dealership_id and r.operator_user_id = (select auth.uid())
     and r.status = 'pending' and r.requested_at <= now() - private.support_request_ttl();
  begin
    insert into public.support_access_requests (dealership_id, operator_user_id, reason)
    values (p_dealership_id, (select auth.uid()), v_reason)
    returning id into v_id;
  exception when unique_violation then
    raise exception 'a request is already open' using errcode = 'RL106';
  end;
  -- The reason stays in the request (the owner reads it there); the append-only log gets no free text.
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'support.requested', 'support_access_request', v_id::text, '{}'::jsonb);
  return v_id;
end
$$;

/*
 * The owner grants a pending request for p_minutes (one of 30, 60, 240, 480, 1440); needs a
 * re-authentication in the last 5 minutes. Returns when the access ends.
 */
create function public.grant_support_access(p_request_id uuid, p_minutes integer)
returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
  v_expires timestamptz;
begin
  select r.* into v_request from public.support_access_requests r where r.id = p_request_id for update;
  if v_request.id is null or (select auth.uid()) is null
     or not private.has_permission(v_request.dealership_id, 'support.grant') then
    raise exception 'owners only' using errcode = '42501';
  end if;
  if v_request.operator_user_id = (select auth.uid()) then
    raise exception 'nobody grants access to themselves' using errcode = 'RL108';
  end if;
  perform private.require_recent_auth();
  if p_minutes is null or p_minutes not in (30, 60, 240, 480, 1440) then
    raise exception 'not one of the offered durations' using errcode = 'RL109';
  end if;
  if v_request.status <> 'pending' or v_request.requested_at <= now() - private.support_request_ttl() then
    raise exception 'request is not open' using errcode = 'RL107';
  end if;
  v_expires := now() + make_interval(mins => p_minutes);
  update public.support_access_requests r
     set status = 'granted', decided_by = (select auth.uid()), decided_at = now(), expires_at = v_expires
   where r.id = p_request_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_request.dealership_id, (select auth.uid()), 'support.granted', 'support_access_request', p_request_id::text,
          jsonb_build_object('minutes', p_minutes, 'expires_at', v_expires));
  return v_expires;
end
$$;

/* The owner denies a pending request. */
create function public.deny_support_access(p_request_id uuid)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
begin
  select r.* into v_request from public.support_access_requests r where r.id = p_request_id for update;
  if v_request.id is null or (select auth.uid()) is null
     or not private.has_permission(v_request.dealership_id, 'support.grant') then
    raise exception 'owners only' using errcode = '42501';
  end if;
  if v_request.operator_user_id = (select auth.uid()) then
    raise exception 'nobody decides their own request' using errcode = 'RL108';
  end if;
  if v_request.status <> 'pending' then
    raise exception 'request is not open' using errcode = 'RL107';
  end if;
  update public.support_access_requests r
     set status = 'denied', decided_by = (select auth.uid()), decided_at = now()
   where r.id = p_request_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_request.dealership_id, (select auth.uid()), 'support.denied', 'support_access_request', p_request_id::text, '{}'::jsonb);
end
$$;

/* End a live grant early: the dealership's owner, or the operator who holds it. */
create function public.revoke_support_access(p_request_id uuid)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
begin
  select r.* into v_request from public.support_access_requests r where r.id = p_request_id for update;
  if v_request.id is null or (select auth.uid()) is null
     or not (private.has_permission(v_request.dealership_id, 'support.grant')
             or (v_request.operator_user_id = (select auth.uid()) and private.is_platform_operator())) then
    raise exception 'owners only' using errcode = '42501';
  end if;
  if v_request.status <> 'granted' or v_request.expires_at <= now() then
    raise exception 'no live grant' using errcode = 'RL107';
  end if;
  update public.support_access_requests r
     set status = 'revoked', revoked_by = (select auth.uid()), revoked_at = now()
   where r.id = p_request_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_request.dealership_id, (select auth.uid()), 'support.revoked', 'support_access_request', p_request_id::text, '{}'::jsonb);
end
$$;

/*
 * Record that the operator opened a support page of the dealership (path only: /operator/support/
 * <dealership>/ followed by at most four segments of lowercase letters, digits and dashes, so ids
 * and page names but no personal data). Refused (42501) without a live grant. Returns the grant.
 */
create function public.record_support_page_view(p_dealership_id uuid, p_path text)
returns table (request_id uuid, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
begin
  select r.* into v_request from public.support_access_requests r
   where r.dealership_id = p_dealership_id
     and r.operator_user_id = (select auth.uid())
     and r.dealership_id in (select private.support_dealership_ids())
     and r.status = 'granted' and r.expires_at > now()
   order by r.expires_at desc
   limit 1;
  if v_request.id is null then
    raise exception 'no support access to this dealership' using errcode = '42501';
  end if;
  if p_path is null or p_path !~ ('^/operator/support/' || p_dealership_id::text || '(/[a-z0-9-]{1,40}){0,4}$') then
    raise exception 'not a support page path' using errcode = '22023';
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'support.page_viewed', 'support_access_request', v_request.id::text,
          jsonb_build_object('path', p_path));
  return query select v_request.id, v_request.expires_at;
end
$$;

/* The dealership's requests for its owners, newest first, with the asking operator's e-mail. */
create function public.dealership_support_requests(p_dealership_id uuid)
returns table (
  id uuid, operator_email text, reason text, status text, requested_at timestamptz,
  decided_at timestamptz, expires_at timestamptz, revoked_at timestamptz
)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_permission(p_dealership_id, 'support.grant') then
    raise exception 'owners only' using errcode = '42501';
  end if;
  return query
    select r.id, u.email::text, r.reason, r.status, r.requested_at, r.decided_at, r.expires_at, r.revoked_at
      from public.support_access_requests r
      left join auth.users u on u.id = r.operator_user_id
     where r.dealership_id = p_dealership_id
     order by r.requested_at desc
     limit 50;
end
$$;

/* The calling operator's own requests, newest first, with the dealership's name. */
create function public.my_support_requests()
returns table (
  id uuid, dealership_id uuid, dealership_name text, reason text, status text, requested_at timestamptz,
  decided_at timestamptz, expires_at timestamptz, revoked_at timestamptz
)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_platform_permission('platform.support.request') then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  return query
    select r.id, r.dealership_id, d.name, r.reason, r.status, r.requested_at, r.decided_at, r.expires_at, r.revoked_at
      from public.support_access_requests r
      join public.dealerships d on d.id = r.dealership_id
     where r.operator_user_id = (select auth.uid())
     order by r.requested_at desc
     limit 50;
end
$$;

revoke all on function public.request_support_access(uuid, text) from public, anon;
revoke all on function public.grant_support_access(uuid, integer) from public, anon;
revoke all on function public.deny_support_access(uuid) from public, anon;
revoke all on function public.revoke_support_access(uuid) from public, anon;
revoke all on function public.record_support_page_view(uuid, text) from public, anon;
revoke all on function public.dealership_support_requests(uuid) from public, anon;
revoke all on function public.my_support_requests() from public, anon;
grant execute on function public.request_support_access(uuid, text) to authenticated;
grant execute on function public.grant_support_access(uuid, integer) to authenticated;
grant execute on function public.deny_support_access(uuid) to authenticated;
grant execute on function public.revoke_support_access(uuid) to authenticated;
grant execute on function public.record_support_page_view(uuid, text) to authenticated;
grant execute on function public.dealership_support_requests(uuid) to authenticated;
grant execute on function public.my_support_requests() to authenticated;
