set lock_timeout = '5s';
set statement_timeout = '60s';

-- Audit coverage, second round (issue 11, item 5): the sign-ins and sign-outs the log missed.
--
-- 1. Every sign-in, whichever way it reached Supabase Auth. Until now the app wrote
--    `auth.signed_in` after its own /login action, so a sign-in made straight against the Auth API
--    (supabase-js signInWithPassword with the public anon key, an invitation or recovery link) left
--    no row. Auth starts every session by inserting into auth.sessions, and Supabase lets projects
--    put triggers on that table (the auth schema restrictions of April 2025 keep triggers on
--    auth.users, auth.sessions, auth.identities, auth.refresh_tokens, auth.audit_log_entries
--    allowed). So the database records the sign-in itself: one `auth.signed_in` row per new session
--    in the log of every dealership of the user, actor and target the user, with how the session
--    was authenticated (the first entry of auth.mfa_amr_claims: password, invite, recovery, otp...)
--    and whether a second factor is still to be entered. Auth writes the session and its
--    authentication method in one transaction, after the session row; the trigger is therefore a
--    constraint trigger deferred to the commit, when both are there. The app no longer writes the
--    row (record_session_event refuses `auth.signed_in` from now on), so there is exactly one per
--    sign-in. Refreshing a token does not insert a session, so it records nothing.
--    A trigger error would fail the sign-in: the function only reads auth tables and appends to
--    the log, as every audited operation of ours already does inside its own transaction.
-- 2. A wrong code at the second step of signing in: `auth.sign_in_failed` (reason 'wrong_code'),
--    like a wrong password: no actor, the account as target, in each dealership of the account.
--    Auth keeps no row of a refused code, so the app reports it as the session_guard role, for its
--    own (aal1) session only.
-- 3. Ending one other session (Settings -> Security, public.revoke_my_session): audited by the
--    function itself, like "sign out everywhere" (`auth.signed_out`, scope 'other_session', or
--    'local' when a caller ends the session it is using), so a call through the Data API is
--    recorded as well.

-- ---------------------------------------------------------------------------------------------
-- 1. Sign-ins, from auth.sessions.
-- ---------------------------------------------------------------------------------------------

/* AFTER INSERT on auth.sessions, deferred to commit: auth.signed_in in every dealership of the user. */
create function private.audit_session_started() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_method text;
  v_second_factor text;
begin
  -- A session started and ended in one transaction leaves nothing to record.
  if not exists (select 1 from auth.sessions s where s.id = new.id) then
    return null;
  end if;
  select c.authentication_method::text into v_method
  from auth.mfa_amr_claims c
  where c.session_id = new.id
  order by c.created_at, c.authentication_method
  limit 1;
  v_second_factor := case when private.has_verified_factor(new.user_id) and coalesce(new.aal::text, 'aal1') <> 'aal2'
                          then 'pending' else 'none' end;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select m.dealership_id, new.user_id, 'auth.signed_in', 'user', new.user_id::text,
         jsonb_build_object('second_factor', v_second_factor, 'method', coalesce(v_method, 'unknown'))
  from public.memberships m where m.user_id = new.user_id
  order by m.dealership_id;
  return null;
end
$$;
revoke all on function private.audit_session_started() from public, anon, authenticated;

create constraint trigger sessions_audit_sign_in after insert on auth.sessions
  deferrable initially deferred
  for each row execute function private.audit_session_started();

-- The app's own write of the same event is refused from now on (one row per sign-in). Same
-- function as in 20261130082200_audit_coverage.sql without `auth.signed_in`.
create or replace function private.record_session_event(p_session_id uuid, p_user_id uuid, p_action text, p_detail text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_metadata jsonb;
begin
  v_metadata := case
    when p_action = 'auth.second_factor_verified' and p_detail = 'totp' then jsonb_build_object('method', p_detail)
    when p_action = 'auth.reauthenticated' and p_detail in ('password', 'totp') then jsonb_build_object('method', p_detail)
    when p_action = 'auth.signed_out' and p_detail in ('local', 'global') then jsonb_build_object('scope', p_detail)
    when p_action = 'auth.password_changed' and p_detail = 'password' then '{}'::jsonb
    when p_action in ('auth.second_factor_enabled', 'auth.second_factor_removed') and p_detail = 'totp'
      then jsonb_build_object('method', p_detail)
  end;
  if v_metadata is null then
    raise exception 'unknown account event' using errcode = '22023';
  end if;
  if not exists (select 1 from auth.sessions s where s.id = p_session_id and s.user_id = p_user_id) then
    return false;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select m.dealership_id, p_user_id, p_action, 'user', p_user_id::text, v_metadata
  from public.memberships m where m.user_id = p_user_id
  order by m.dealership_id;
  return true;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- 2. A wrong code at the second step of signing in.
-- ---------------------------------------------------------------------------------------------

/*
 * Record that Auth refused the code a session entered to finish signing in (auth.sign_in_failed,
 * reason 'wrong_code', no actor, the account as target) in each dealership of the user. Returns
 * false (and records nothing) when the session is not the user's, or already finished its second
 * step (aal2: a code refused there is not a failed sign-in).
 */
create function private.record_second_factor_failure(p_session_id uuid, p_user_id uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if not exists (select 1 from auth.sessions s
                 where s.id = p_session_id and s.user_id = p_user_id and coalesce(s.aal::text, 'aal1') <> 'aal2') then
    return false;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select m.dealership_id, null, 'auth.sign_in_failed', 'user', p_user_id::text, jsonb_build_object('reason', 'wrong_code')
  from public.memberships m where m.user_id = p_user_id
  order by m.dealership_id;
  return true;
end
$$;
revoke all on function private.record_second_factor_failure(uuid, uuid) from public, anon, authenticated;
grant execute on function private.record_second_factor_failure(uuid, uuid) to session_guard;

-- ---------------------------------------------------------------------------------------------
-- 3. Ending one session.
-- ---------------------------------------------------------------------------------------------

/* End one of the caller's own sessions, audited in each of their dealerships; false when it was not theirs. */
create or replace function public.revoke_my_session(p_session_id uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_count integer;
begin
  if (select auth.uid()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  delete from auth.sessions s where s.id = p_session_id and s.user_id = (select auth.uid());
  get diagnostics v_count = row_count;
  if v_count > 0 then
    insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
    select m.dealership_id, (select auth.uid()), 'auth.signed_out', 'user', (select auth.uid())::text,
           jsonb_build_object('scope', case when p_session_id = private.jwt_session_id() then 'local' else 'other_session' end)
    from public.memberships m where m.user_id = (select auth.uid())
    order by m.dealership_id;
  end if;
  return v_count > 0;
end
$$;
