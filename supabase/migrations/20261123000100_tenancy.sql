-- Tenancy: dealerships, memberships and the private membership helpers every policy uses.

-- ---------------------------------------------------------------------------------------------
-- Private schema: never exposed through the API; policies call its SECURITY DEFINER helpers.
-- ---------------------------------------------------------------------------------------------
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;

-- Functions are executable by nobody until granted one by one.
alter default privileges in schema public revoke execute on functions from public, anon, authenticated;
alter default privileges in schema private revoke execute on functions from public;

create type public.membership_role as enum ('owner', 'admin', 'manager', 'rep');

-- ---------------------------------------------------------------------------------------------
-- dealerships: the tenant. Its name is a business name, not personal data.
-- ---------------------------------------------------------------------------------------------
create table public.dealerships (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  default_region text not null default 'US' check (default_region ~ '^[A-Z]{2}$'),
  timezone text not null default 'America/New_York' check (char_length(timezone) between 1 and 64),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------------------------
-- memberships: who belongs to which dealership, with which role.
-- ---------------------------------------------------------------------------------------------
create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.membership_role not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (dealership_id, user_id)
);
-- The helpers below look memberships up by user first.
create index memberships_user_id_dealership_id_idx on public.memberships (user_id, dealership_id, role);

-- ---------------------------------------------------------------------------------------------
-- Membership helpers. SECURITY DEFINER so a policy on memberships can consult memberships without
-- recursing into its own policy; search_path is empty so nothing can be shadowed.
-- ---------------------------------------------------------------------------------------------

/* The dealerships the current user belongs to, optionally only where they hold one of p_roles. */
create function private.dealership_ids_for_current_user(p_roles public.membership_role[] default null)
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select m.dealership_id
  from public.memberships m
  where m.user_id = (select auth.uid())
    and (p_roles is null or m.role = any (p_roles))
$$;

/* Whether the current user holds one of p_roles (any role when null) in p_dealership_id. */
create function private.has_role_on_dealership(p_dealership_id uuid, p_roles public.membership_role[] default null)
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = (select auth.uid())
      and m.dealership_id = p_dealership_id
      and (p_roles is null or m.role = any (p_roles))
  )
$$;

revoke all on function private.dealership_ids_for_current_user(public.membership_role[]) from public;
revoke all on function private.has_role_on_dealership(uuid, public.membership_role[]) from public;
grant execute on function private.dealership_ids_for_current_user(public.membership_role[]) to authenticated;
grant execute on function private.has_role_on_dealership(uuid, public.membership_role[]) to authenticated;

-- Keep updated_at honest without trusting the client.
create function private.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger dealerships_touch before update on public.dealerships
  for each row execute function private.touch_updated_at();
create trigger memberships_touch before update on public.memberships
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Privileges and policies. anon gets nothing; authenticated gets the minimum.
-- ---------------------------------------------------------------------------------------------
alter table public.dealerships enable row level security;
alter table public.memberships enable row level security;

revoke all on public.dealerships from anon, authenticated;
revoke all on public.memberships from anon, authenticated;
grant select, update (name, default_region, timezone) on public.dealerships to authenticated;
-- Memberships are read-only to users; team management goes through functions that re-check roles.
grant select on public.memberships to authenticated;

create policy dealerships_select on public.dealerships for select to authenticated
  using (id in (select private.dealership_ids_for_current_user()));

create policy dealerships_update on public.dealerships for update to authenticated
  using (id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])))
  with check (id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));

-- Members see their teammates' memberships (for assignment); nobody sees other dealerships'.
create policy memberships_select on public.memberships for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user()));

-- ---------------------------------------------------------------------------------------------
-- The team directory: members' e-mail and display name live in auth.users, which the API roles
-- cannot read; this function returns them for one dealership, to its members only.
-- ---------------------------------------------------------------------------------------------
create function public.dealership_members(p_dealership_id uuid)
returns table (user_id uuid, role public.membership_role, email text, display_name text)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_role_on_dealership(p_dealership_id) then
    raise exception 'not a member of this dealership' using errcode = '42501';
  end if;
  return query
    select m.user_id, m.role, u.email::text, coalesce(u.raw_user_meta_data ->> 'display_name', split_part(u.email, '@', 1))
    from public.memberships m
    join auth.users u on u.id = m.user_id
    where m.dealership_id = p_dealership_id
    order by m.role, u.email;
end
$$;
revoke all on function public.dealership_members(uuid) from public, anon;
grant execute on function public.dealership_members(uuid) to authenticated;
