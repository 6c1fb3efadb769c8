-- Permissions: the SQL side of the one permission map (lib/auth/permissions.ts). Policies and
-- functions ask private.has_permission(dealership, 'leads.import') instead of spelling out role
-- arrays; lib/auth/permissions.test.ts asserts this table and the TypeScript map agree exactly.
-- Also the rate limiter's own NOLOGIN role, so no path with no user runs as the pool's login role.
set lock_timeout = '5s';
set statement_timeout = '60s';

-- ---------------------------------------------------------------------------------------------
-- The map. In the private schema: the API never exposes it and no API role can change it.
-- ---------------------------------------------------------------------------------------------
create table private.role_permissions (
  role public.membership_role not null,
  permission text not null check (permission ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$'),
  primary key (permission, role)
);
alter table private.role_permissions enable row level security;
revoke all on private.role_permissions from public, anon, authenticated;

insert into private.role_permissions (permission, role)
select p.permission, r.role::public.membership_role
from (values
  ('leads.view_all',          array['owner', 'admin', 'manager']),
  ('leads.assign',            array['owner', 'admin', 'manager']),
  ('leads.delete',            array['owner', 'admin']),
  ('leads.import',            array['owner', 'admin', 'manager']),
  ('leads.reconsent',         array['owner', 'admin', 'manager']),
  ('do_not_contact.add',      array['owner', 'admin', 'manager', 'rep']),
  ('do_not_contact.remove',   array['owner', 'admin']),
  ('conversations.reply',     array['owner', 'admin', 'manager', 'rep']),
  ('sending_numbers.manage',  array['owner', 'admin']),
  ('dealership.settings',     array['owner', 'admin']),
  ('team.view',               array['owner', 'admin', 'manager', 'rep']),
  ('audit.view',              array['owner', 'admin'])
) as p (permission, roles)
cross join lateral unnest(p.roles) as r (role);

-- ---------------------------------------------------------------------------------------------
-- Helpers. SECURITY DEFINER (they read memberships and the map, which the caller may not), with
-- an empty search_path; the current user comes from the verified JWT only.
-- ---------------------------------------------------------------------------------------------

/* Whether the current user holds p_permission in p_dealership_id. */
create function private.has_permission(p_dealership_id uuid, p_permission text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join private.role_permissions rp on rp.role = m.role and rp.permission = p_permission
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
  )
$$;

/* The dealerships in which the current user holds p_permission (for `dealership_id in (...)` policies). */
create function private.dealership_ids_with_permission(p_permission text)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  join private.role_permissions rp on rp.role = m.role and rp.permission = p_permission
  where m.user_id = (select auth.uid())
$$;

revoke all on function private.has_permission(uuid, text) from public, anon;
revoke all on function private.dealership_ids_with_permission(text) from public, anon;
grant execute on function private.has_permission(uuid, text) to authenticated;
grant execute on function private.dealership_ids_with_permission(text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- rate_limiter: the role the rate-limit checks run as (lib/rate-limit). It owns nothing and may
-- only count hits and prune old windows. The pool's login role switches to it per transaction.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'rate_limiter') then
    create role rate_limiter nologin noinherit;
  end if;
end
$$;
grant rate_limiter to postgres;
grant usage on schema private to rate_limiter;

-- The counters were written as the pool's login role; as definer functions they keep working for
-- a role that can touch no table itself.
alter function private.rate_limit_hit(text, integer, integer) security definer;
alter function private.rate_limit_prune() security definer;
alter function private.rate_limit_refund(text) security definer;
revoke all on function private.rate_limit_hit(text, integer, integer) from public, anon, authenticated;
revoke all on function private.rate_limit_prune() from public, anon, authenticated;
revoke all on function private.rate_limit_refund(text) from public, anon, authenticated;
grant execute on function private.rate_limit_refund(text) to rate_limiter;
grant execute on function private.rate_limit_hit(text, integer, integer) to rate_limiter;
grant execute on function private.rate_limit_prune() to rate_limiter;
