-- Platform operators: the people who run the platform, outside every dealership. The role lives
-- in the Auth user's app_metadata (app_metadata.platform_role = 'operator'), which only the
-- service role can set (GoTrue ignores app_metadata in a user's own update), and reaches the
-- database in the verified JWT. Operators are not members: every tenant policy keys on
-- memberships, so they see no dealership's rows; what they may do is the separate map below
-- (mirrored by PLATFORM_PERMISSIONS in lib/auth/permissions.ts) and the definer functions that check it.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table private.platform_role_permissions (
  role text not null check (role in ('operator')),
  permission text not null check (permission ~ '^platform\.[a-z][a-z_]*\.[a-z][a-z_]*$'),
  primary key (permission, role)
);
alter table private.platform_role_permissions enable row level security;
revoke all on private.platform_role_permissions from public, anon, authenticated;

insert into private.platform_role_permissions (permission, role) values
  ('platform.dealerships.read', 'operator'),
  ('platform.dealerships.create', 'operator'),
  ('platform.dealerships.approve', 'operator'),
  ('platform.dealerships.suspend', 'operator');

/* The caller's platform role from the verified JWT's app_metadata, or null. */
create function private.platform_role()
returns text
language sql stable set search_path = ''
as $$
  select nullif((select auth.jwt()) -> 'app_metadata' ->> 'platform_role', '')
$$;

/* Whether the caller is a platform operator (app_metadata.platform_role = 'operator'). */
create function private.is_platform_operator()
returns boolean
language sql stable set search_path = ''
as $$
  select coalesce((select private.platform_role()) = 'operator', false)
$$;

/* Whether the caller's platform role holds p_permission. */
create function private.has_platform_permission(p_permission text)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from private.platform_role_permissions rp
    where rp.role = (select private.platform_role()) and rp.permission = p_permission
  )
$$;

revoke all on function private.platform_role() from public, anon;
revoke all on function private.is_platform_operator() from public, anon;
revoke all on function private.has_platform_permission(text) from public, anon;
grant execute on function private.platform_role() to authenticated;
grant execute on function private.is_platform_operator() to authenticated;
grant execute on function private.has_platform_permission(text) to authenticated;
