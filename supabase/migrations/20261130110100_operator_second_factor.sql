set lock_timeout = '5s';
set statement_timeout = '60s';

-- Platform operators need a second factor (issue 15, item 1; a security reviewer's finding):
-- administrative access to the platform, the operator console and support access, is only for a
-- session that finished two-factor sign-in (`aal2` in the verified JWT). A password alone gives an
-- operator nothing.
--
-- - private.platform_role() names the caller's platform role only for an aal2 session, so
--   private.is_platform_operator() and private.has_platform_permission() are false for an aal1
--   operator and every policy that asks them (support access, the operator's own requests) shows
--   such a session nothing, without an error, like any other user.
-- - Every operator function refuses an aal1 operator with its own code, RL120, instead of the
--   generic 42501, so the app can send the operator to set up or enter the second factor:
--   private.has_platform_permission() raises it (each console, number and support function checks
--   it first), and record_support_page_view and revoke_support_access, which check the role
--   another way, call private.require_platform_assurance() first.
-- - private.support_dealership_ids(), which every tenant table's support policy calls for every
--   user, keeps to the non-raising checks (a member's query never meets RL120).
-- The app asks the same (lib/server/require-operator-page.ts) and sends an operator without a
-- second factor to /operator/security to set one up.

/* The caller's platform role from the verified JWT's app_metadata, only for an aal2 session; else null. */
create or replace function private.platform_role()
returns text
language sql stable set search_path = ''
as $$
  select case when coalesce((select auth.jwt()) ->> 'aal', 'aal1') = 'aal2'
              then nullif((select auth.jwt()) -> 'app_metadata' ->> 'platform_role', '') end
$$;

/* RL120 when the caller's JWT names a platform role but the session is not aal2; else nothing. */
create function private.require_platform_assurance()
returns void
language plpgsql stable set search_path = ''
as $$
begin
  if nullif((select auth.jwt()) -> 'app_metadata' ->> 'platform_role', '') is not null
     and coalesce((select auth.jwt()) ->> 'aal', 'aal1') <> 'aal2' then
    raise exception 'platform operators must sign in with a second factor' using errcode = 'RL120';
  end if;
end
$$;
revoke all on function private.require_platform_assurance() from public, anon;
grant execute on function private.require_platform_assurance() to authenticated;

/*
 * Whether the caller's platform role holds p_permission. The guard of every operator function:
 * an operator whose session is not aal2 gets RL120 here. Not for policies (they would raise for
 * that session); policies use private.platform_role() / private.is_platform_operator().
 */
create or replace function private.has_platform_permission(p_permission text)
returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform private.require_platform_assurance();
  return exists (
    select 1 from private.platform_role_permissions rp
    where rp.role = (select private.platform_role()) and rp.permission = p_permission
  );
end
$$;

/*
 * The dealerships the caller may read as support (every tenant table's support policy). Same as
 * in 20261130087000_support_excludes_closed.sql, with the permission read from the map directly
 * (never raising) and the platform role, which is now null below aal2.
 */
create or replace function private.support_dealership_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select r.dealership_id
  from public.support_access_requests r
  join public.dealerships d on d.id = r.dealership_id
  where r.operator_user_id = (select auth.uid())
    and r.status = 'granted'
    and r.revoked_at is null
    and r.expires_at > now()
    and d.closed_at is null
    -- A JWT read first: for members (every tenant query runs this policy too) it ends the check.
    and (select private.is_platform_operator())
    and exists (select 1 from private.platform_role_permissions rp
                where rp.role = (select private.platform_role()) and rp.permission = 'platform.support.request')
    and (select private.session_meets_assurance())
$$;

/* Same as in 20261130086000_support_access.sql, refusing an aal1 operator with RL120 first. */
create or replace function public.record_support_page_view(p_dealership_id uuid, p_path text)
returns table (request_id uuid, expires_at timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
begin
  perform private.require_platform_assurance();
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

/* Same as in 20261130086000_support_access.sql; the operator who holds the grant needs aal2 (RL120). */
create or replace function public.revoke_support_access(p_request_id uuid)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_request public.support_access_requests;
begin
  select r.* into v_request from public.support_access_requests r where r.id = p_request_id for update;
  if v_request.id is not null and v_request.operator_user_id = (select auth.uid()) then
    perform private.require_platform_assurance();
  end if;
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
