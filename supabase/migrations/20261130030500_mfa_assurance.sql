-- A user who has a second factor is only a member once their session finished two-factor sign-in
-- (`aal2`). The app refuses such aal1 sessions itself (lib/db/scope.ts); this makes the database
-- say the same to the Data API: the membership helpers every policy and definer function asks
-- return nothing for them. Same bodies as before plus that one condition.
set lock_timeout = '5s';
set statement_timeout = '60s';

/* False only for a user with a verified second factor whose token is not aal2. */
create function private.session_meets_assurance() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select auth.jwt()) ->> 'aal', 'aal1') = 'aal2'
      or not private.has_verified_factor((select auth.uid()))
$$;
revoke all on function private.session_meets_assurance() from public, anon;
grant execute on function private.session_meets_assurance() to authenticated;

create or replace function private.dealership_ids_for_current_user(p_roles public.membership_role[] default null)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  where m.user_id = (select auth.uid())
    and (p_roles is null or m.role = any (p_roles))
    and (select private.session_meets_assurance())
$$;

create or replace function private.has_role_on_dealership(p_dealership_id uuid, p_roles public.membership_role[] default null)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
      and (p_roles is null or m.role = any (p_roles))
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
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
  ) and (select private.session_meets_assurance())
$$;

create or replace function private.dealership_ids_with_permission(p_permission text)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  join private.role_permissions rp on rp.role = m.role and rp.permission = p_permission
  where m.user_id = (select auth.uid())
    and (select private.session_meets_assurance())
$$;
