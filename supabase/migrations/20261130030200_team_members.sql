-- Changing the team: roles, removal (with the removed member's leads reassigned and every one of
-- their sessions ended at once), ownership transfer, and the dealership's MFA requirement. Each is
-- a sensitive operation: the permission from the map, then a recent re-authentication
-- (private.require_recent_auth), then the rule.
set lock_timeout = '5s';
set statement_timeout = '60s';

alter table public.dealerships add column require_mfa boolean not null default false;

/* Lock the dealership's owner rows, so two owners cannot demote each other at once. */
create function private.lock_owners(p_dealership_id uuid) returns integer
language sql volatile security definer set search_path = ''
as $$
  with locked as (
    select 1 from public.memberships m where m.dealership_id = p_dealership_id and m.role = 'owner' for update
  )
  select count(*)::integer from locked
$$;

/* Change a member's role. Owner changes (to or from) need team.transfer_ownership. */
create function public.set_member_role(p_dealership_id uuid, p_user_id uuid, p_role public.membership_role) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_current public.membership_role;
  v_owners integer;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'team.manage') then
    raise exception 'not allowed to manage this team' using errcode = '42501';
  end if;
  if p_role is null then
    raise exception 'a role is required' using errcode = '22023';
  end if;
  perform private.require_recent_auth();
  v_owners := private.lock_owners(p_dealership_id);
  select m.role into v_current from public.memberships m
   where m.dealership_id = p_dealership_id and m.user_id = p_user_id for update;
  if v_current is null then
    raise exception 'not a member' using errcode = 'RL036';
  end if;
  if (v_current = 'owner' or p_role = 'owner') and not private.has_permission(p_dealership_id, 'team.transfer_ownership') then
    raise exception 'only an owner can make or unmake owners' using errcode = 'RL031';
  end if;
  if v_current = 'owner' and p_role <> 'owner' and v_owners <= 1 then
    raise exception 'a dealership must keep at least one owner' using errcode = 'RL030';
  end if;
  if v_current = p_role then
    return;
  end if;
  update public.memberships set role = p_role where dealership_id = p_dealership_id and user_id = p_user_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'team.role_changed', 'user', p_user_id::text,
          jsonb_build_object('from', v_current, 'to', p_role));
end
$$;

/*
 * Remove a member: their leads go to p_reassign_to (another member) or become unassigned, their
 * membership goes, and every session of theirs ends at once (the app's session check reads
 * auth.sessions, so their next request is refused). Returns how many leads were reassigned.
 */
create function public.remove_member(p_dealership_id uuid, p_user_id uuid, p_reassign_to uuid default null) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_current public.membership_role;
  v_owners integer;
  v_moved integer;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'team.manage') then
    raise exception 'not allowed to manage this team' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  v_owners := private.lock_owners(p_dealership_id);
  select m.role into v_current from public.memberships m
   where m.dealership_id = p_dealership_id and m.user_id = p_user_id for update;
  if v_current is null then
    raise exception 'not a member' using errcode = 'RL036';
  end if;
  if v_current = 'owner' and not private.has_permission(p_dealership_id, 'team.transfer_ownership') then
    raise exception 'only an owner can remove an owner' using errcode = 'RL031';
  end if;
  if v_current = 'owner' and v_owners <= 1 then
    raise exception 'a dealership must keep at least one owner' using errcode = 'RL030';
  end if;
  if p_reassign_to is not null and (p_reassign_to = p_user_id or not exists (
       select 1 from public.memberships m where m.dealership_id = p_dealership_id and m.user_id = p_reassign_to)) then
    raise exception 'reassign to a current member' using errcode = 'RL037';
  end if;
  update public.leads l set assigned_to = p_reassign_to
   where l.dealership_id = p_dealership_id and l.assigned_to = p_user_id;
  get diagnostics v_moved = row_count;
  delete from public.memberships where dealership_id = p_dealership_id and user_id = p_user_id;
  delete from auth.sessions where user_id = p_user_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'team.member_removed', 'user', p_user_id::text,
          jsonb_build_object('role', v_current, 'leads_reassigned', v_moved, 'reassigned_to', p_reassign_to));
  return v_moved;
end
$$;

/* Hand the dealership to another member: they become an owner, the caller an admin. */
create function public.transfer_ownership(p_dealership_id uuid, p_to_user uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'team.transfer_ownership') then
    raise exception 'only an owner can transfer ownership' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  perform private.lock_owners(p_dealership_id);
  if p_to_user = (select auth.uid()) or not exists (
       select 1 from public.memberships m where m.dealership_id = p_dealership_id and m.user_id = p_to_user for update) then
    raise exception 'transfer to another current member' using errcode = 'RL036';
  end if;
  update public.memberships set role = 'owner' where dealership_id = p_dealership_id and user_id = p_to_user;
  update public.memberships set role = 'admin' where dealership_id = p_dealership_id and user_id = (select auth.uid());
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'team.ownership_transferred', 'user', p_to_user::text, '{}'::jsonb);
end
$$;

/* Require (or stop requiring) a second factor for every member. The owner must have one first. */
create function public.set_dealership_require_mfa(p_dealership_id uuid, p_required boolean) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'dealership.require_mfa') then
    raise exception 'only an owner can change this' using errcode = '42501';
  end if;
  if p_required is null then
    raise exception 'say whether it is required' using errcode = '22023';
  end if;
  perform private.require_recent_auth();
  if p_required and not private.has_verified_factor((select auth.uid())) then
    raise exception 'set up two-factor authentication for yourself first' using errcode = 'RL041';
  end if;
  update public.dealerships set require_mfa = p_required where id = p_dealership_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'dealership.mfa_requirement_changed', 'dealership', p_dealership_id::text,
          jsonb_build_object('required', p_required));
end
$$;

/* The team with whether each member has a second factor (for owners deciding to require it). */
create function public.dealership_members_security(p_dealership_id uuid)
returns table (user_id uuid, mfa_enrolled boolean)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_permission(p_dealership_id, 'team.manage') then
    raise exception 'not allowed to manage this team' using errcode = '42501';
  end if;
  return query
    select m.user_id, private.has_verified_factor(m.user_id)
    from public.memberships m where m.dealership_id = p_dealership_id;
end
$$;

revoke all on function private.lock_owners(uuid) from public, anon, authenticated;
revoke all on function public.set_member_role(uuid, uuid, public.membership_role) from public, anon;
revoke all on function public.remove_member(uuid, uuid, uuid) from public, anon;
revoke all on function public.transfer_ownership(uuid, uuid) from public, anon;
revoke all on function public.set_dealership_require_mfa(uuid, boolean) from public, anon;
revoke all on function public.dealership_members_security(uuid) from public, anon;
grant execute on function public.set_member_role(uuid, uuid, public.membership_role) to authenticated;
grant execute on function public.remove_member(uuid, uuid, uuid) to authenticated;
grant execute on function public.transfer_ownership(uuid, uuid) to authenticated;
grant execute on function public.set_dealership_require_mfa(uuid, boolean) to authenticated;
grant execute on function public.dealership_members_security(uuid) to authenticated;
