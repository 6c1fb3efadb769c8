-- Team management: invitations, role changes, removal and ownership transfer. Nobody joins a
-- dealership except by accepting a valid, unexpired, unused invitation addressed to their own
-- confirmed e-mail; users still hold no write right on memberships (every change is a definer
-- function that re-checks the permission map), and a dealership never loses its last owner.
set lock_timeout = '5s';
set statement_timeout = '60s';

-- ---------------------------------------------------------------------------------------------
-- Permissions (lib/auth/permissions.ts holds the same rows).
--   team.manage              owners, admins: invite, revoke invitations, change roles below
--                            owner, remove members who are not owners
--   team.transfer_ownership  owners only: make or unmake owners, remove an owner, hand over
--   dealership.require_mfa   owners only: require two-factor authentication for everyone
-- Admins cannot create owners: an admin who could would be an owner in all but name.
-- ---------------------------------------------------------------------------------------------
insert into private.role_permissions (permission, role) values
  ('team.manage', 'owner'),
  ('team.manage', 'admin'),
  ('team.transfer_ownership', 'owner'),
  ('dealership.require_mfa', 'owner');

-- ---------------------------------------------------------------------------------------------
-- invitations
-- ---------------------------------------------------------------------------------------------
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  -- Staff e-mail (lower-case), the address the invitation was sent to; matched against the
  -- invitee's confirmed auth.users e-mail on acceptance.
  email text not null check (email = lower(btrim(email)) and char_length(email) between 3 and 255 and email ~ '^[^@\s]+@[^@\s]+$'),
  role public.membership_role not null,
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  check (expires_at > created_at),
  check (num_nonnulls(accepted_at, revoked_at) <= 1)
);
-- At most one open invitation per address and dealership (a resend replaces it).
create unique index invitations_open_email_key on public.invitations (dealership_id, email)
  where accepted_at is null and revoked_at is null;
-- The invitee looks their open invitations up by e-mail.
create index invitations_open_by_email_idx on public.invitations (email)
  where accepted_at is null and revoked_at is null;

alter table public.invitations enable row level security;
revoke all on public.invitations from anon, authenticated;
grant select on public.invitations to authenticated;
create policy invitations_select on public.invitations for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('team.manage')));

/* How long an invitation stays valid. */
create function private.invitation_ttl() returns interval
language sql immutable set search_path = ''
as $$ select interval '7 days' $$;

-- ---------------------------------------------------------------------------------------------
-- The last owner stays. Checked after every change of an owner's membership, whoever makes it
-- (the functions below raise a readable error first; this is the backstop for any other writer).
-- ---------------------------------------------------------------------------------------------
create function private.keep_an_owner() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.role = 'owner'
     and (tg_op = 'DELETE' or new.role <> 'owner' or new.dealership_id <> old.dealership_id)
     and exists (select 1 from public.dealerships d where d.id = old.dealership_id)
     and not exists (select 1 from public.memberships m where m.dealership_id = old.dealership_id and m.role = 'owner') then
    raise exception 'a dealership must keep at least one owner' using errcode = 'RL030';
  end if;
  return null;
end
$$;
create trigger memberships_keep_an_owner after update or delete on public.memberships
  for each row execute function private.keep_an_owner();

-- ---------------------------------------------------------------------------------------------
-- Functions. Each: a signed-in caller, the permission from the map, then the rule; readable
-- errors in the RL03x range (lib/server/app-error.ts SQL_ERROR_MESSAGES).
-- ---------------------------------------------------------------------------------------------

/* Invite an e-mail address with a role; returns the invitation. A resend replaces the open one. */
create function public.create_invitation(p_dealership_id uuid, p_email text, p_role public.membership_role)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_id uuid;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'team.manage') then
    raise exception 'not allowed to manage this team' using errcode = '42501';
  end if;
  if p_role is null then
    raise exception 'a role is required' using errcode = '22023';
  end if;
  if p_role = 'owner' and not private.has_permission(p_dealership_id, 'team.transfer_ownership') then
    raise exception 'only an owner can make someone an owner' using errcode = 'RL031';
  end if;
  if v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 255 then
    raise exception 'not an e-mail address' using errcode = '22023';
  end if;
  if exists (select 1 from public.memberships m join auth.users u on u.id = m.user_id
             where m.dealership_id = p_dealership_id and lower(u.email) = v_email) then
    raise exception 'already a member' using errcode = 'RL032';
  end if;
  update public.invitations i set revoked_at = now()
   where i.dealership_id = p_dealership_id and i.email = v_email and i.accepted_at is null and i.revoked_at is null;
  insert into public.invitations (dealership_id, email, role, invited_by, expires_at)
  values (p_dealership_id, v_email, p_role, (select auth.uid()), now() + private.invitation_ttl())
  returning id into v_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'team.invited', 'invitation', v_id::text, jsonb_build_object('role', p_role));
  return v_id;
end
$$;

/* Withdraw an open invitation. */
create function public.revoke_invitation(p_invitation_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_inv public.invitations;
begin
  select i.* into v_inv from public.invitations i where i.id = p_invitation_id for update;
  if v_inv.id is null or (select auth.uid()) is null
     or not private.has_permission(v_inv.dealership_id, 'team.manage') then
    raise exception 'invitation not found' using errcode = '42501';
  end if;
  if v_inv.role = 'owner' and not private.has_permission(v_inv.dealership_id, 'team.transfer_ownership') then
    raise exception 'only an owner can withdraw an owner invitation' using errcode = 'RL031';
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null then
    raise exception 'invitation already used' using errcode = 'RL033';
  end if;
  update public.invitations set revoked_at = now() where id = p_invitation_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_inv.dealership_id, (select auth.uid()), 'team.invitation_revoked', 'invitation', p_invitation_id::text, '{}'::jsonb);
end
$$;

/* The signed-in user's own open invitations (to their confirmed e-mail), with the dealership's name. */
create function public.my_invitations()
returns table (id uuid, dealership_id uuid, dealership_name text, role public.membership_role, expires_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select i.id, i.dealership_id, d.name, i.role, i.expires_at
  from public.invitations i
  join public.dealerships d on d.id = i.dealership_id
  where i.email = (select lower(u.email) from auth.users u
                   where u.id = (select auth.uid()) and u.email_confirmed_at is not null)
    and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
    and not exists (select 1 from public.memberships m
                    where m.dealership_id = i.dealership_id and m.user_id = (select auth.uid()))
  order by d.name, i.created_at
$$;

/* Join a dealership with an invitation addressed to the caller: valid, unexpired, used once. */
create function public.accept_invitation(p_invitation_id uuid) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_inv public.invitations;
  v_email text;
begin
  select lower(u.email) into v_email from auth.users u
   where u.id = (select auth.uid()) and u.email_confirmed_at is not null;
  select i.* into v_inv from public.invitations i where i.id = p_invitation_id for update;
  if v_email is null or v_inv.id is null or v_inv.email <> v_email then
    raise exception 'invitation not found' using errcode = 'RL035';
  end if;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null then
    raise exception 'invitation already used' using errcode = 'RL033';
  end if;
  if v_inv.expires_at <= now() then
    raise exception 'invitation expired' using errcode = 'RL034';
  end if;
  if exists (select 1 from public.memberships m where m.dealership_id = v_inv.dealership_id and m.user_id = (select auth.uid())) then
    raise exception 'already a member' using errcode = 'RL032';
  end if;
  insert into public.memberships (dealership_id, user_id, role) values (v_inv.dealership_id, (select auth.uid()), v_inv.role);
  update public.invitations set accepted_at = now(), accepted_by = (select auth.uid()) where id = p_invitation_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_inv.dealership_id, (select auth.uid()), 'team.joined', 'invitation', p_invitation_id::text,
          jsonb_build_object('role', v_inv.role));
  return v_inv.dealership_id;
end
$$;

revoke all on function public.create_invitation(uuid, text, public.membership_role) from public, anon;
revoke all on function public.revoke_invitation(uuid) from public, anon;
revoke all on function public.my_invitations() from public, anon;
revoke all on function public.accept_invitation(uuid) from public, anon;
revoke all on function private.invitation_ttl() from public, anon;
revoke all on function private.keep_an_owner() from public, anon;
grant execute on function public.create_invitation(uuid, text, public.membership_role) to authenticated;
grant execute on function public.revoke_invitation(uuid) to authenticated;
grant execute on function public.my_invitations() to authenticated;
grant execute on function public.accept_invitation(uuid) to authenticated;
