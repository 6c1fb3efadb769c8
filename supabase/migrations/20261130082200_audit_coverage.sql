set lock_timeout = '5s';
set statement_timeout = '60s';

-- Audit event coverage (issue 11, item 5): the events the log lacked.
--
-- 1. Account events: sign-in (and its second step), sign-in failure, sign-out, re-authentication,
--    and the account's own security changes (password, second factor).
--    Supabase Auth performs these, not our database, so there is no row change of ours to hang a
--    trigger on. The app reports each one after Auth answered, as the `session_guard` role (which
--    already records re-authentication proofs and can do nothing else), through definer functions
--    that check the session belongs to the user (no API role can forge one). A session is not tied
--    to one dealership: it opens every dealership of the user, so the event is written into the log
--    of each dealership the user belongs to (actor and target: the user).
--    A failed sign-in has no session and no tenant: it is written, with no actor, into the log of
--    each dealership the targeted account belongs to (only attempts that reached the Auth server,
--    which the sign-in limits bound to 20 an hour per address, so nobody can flood a log). An
--    attempt on an address with no account is recorded nowhere but the rate-limit counters: there
--    is no dealership to show it to, and keeping it would keep a list of guessed addresses.
-- 2. Settings: the dealership's own settings (name, region, time zone, the reply triage's LLM) and
--    its suggested replies, by triggers, so a change through the Data API is recorded as well.
--    Campaign settings, sending numbers and the MFA requirement were recorded already.

-- ---------------------------------------------------------------------------------------------
-- 1. Account events.
-- ---------------------------------------------------------------------------------------------

/*
 * Record an account event of a signed-in session (called by the app after Auth answered):
 *   auth.signed_in               p_detail = second factor still to enter: 'pending' | 'none'
 *   auth.second_factor_verified  p_detail = 'totp'
 *   auth.reauthenticated         p_detail = the proof: 'password' | 'totp'
 *   auth.signed_out              p_detail = 'local' (this device) | 'global' (everywhere)
 *   auth.password_changed        p_detail = 'password'
 *   auth.second_factor_enabled   p_detail = 'totp'
 *   auth.second_factor_removed   p_detail = 'totp'
 * in the log of every dealership the user belongs to. Returns false (and records nothing) when
 * the session is not the user's.
 */
create function private.record_session_event(p_session_id uuid, p_user_id uuid, p_action text, p_detail text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_metadata jsonb;
begin
  v_metadata := case
    when p_action = 'auth.signed_in' and p_detail in ('pending', 'none') then jsonb_build_object('second_factor', p_detail)
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

/*
 * Record a sign-in the Auth server refused (wrong password) for the account with this e-mail, in
 * the log of each dealership it belongs to, with no actor (whoever tried is unknown). An address
 * with no account records nothing. The e-mail itself is never stored.
 */
create function private.record_sign_in_failure(p_email text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select m.dealership_id, null, 'auth.sign_in_failed', 'user', u.id::text, jsonb_build_object('reason', 'wrong_password')
  from auth.users u
  join public.memberships m on m.user_id = u.id
  where u.email = lower(btrim(p_email))
  order by m.dealership_id;
end
$$;

revoke all on function private.record_session_event(uuid, uuid, text, text) from public, anon, authenticated;
revoke all on function private.record_sign_in_failure(text) from public, anon, authenticated;
grant execute on function private.record_session_event(uuid, uuid, text, text) to session_guard;
grant execute on function private.record_sign_in_failure(text) to session_guard;

-- ---------------------------------------------------------------------------------------------
-- 2. Settings.
-- ---------------------------------------------------------------------------------------------

/* AFTER UPDATE (row) on dealerships: dealership.settings_changed, naming the changed settings (never values but the LLM switch). */
create function private.audit_dealership_settings() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_fields text;
begin
  if (select auth.uid()) is null then
    return null;
  end if;
  select string_agg(c.name, ',' order by c.ord) into v_fields
  from (values
    (1, 'name', new.name is distinct from old.name),
    (2, 'defaultRegion', new.default_region is distinct from old.default_region),
    (3, 'timezone', new.timezone is distinct from old.timezone),
    (4, 'triageLlmEnabled', new.triage_llm_enabled is distinct from old.triage_llm_enabled)
  ) as c (ord, name, changed)
  where c.changed;
  if v_fields is null then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (new.id, (select auth.uid()), 'dealership.settings_changed', 'dealership', new.id::text,
          jsonb_strip_nulls(jsonb_build_object(
            'fields', v_fields,
            'triage_llm_enabled', case when new.triage_llm_enabled is distinct from old.triage_llm_enabled
                                       then new.triage_llm_enabled end)));
  return null;
end
$$;
revoke all on function private.audit_dealership_settings() from public;
create trigger dealerships_audit_settings after update on public.dealerships
  for each row execute function private.audit_dealership_settings();

/* AFTER INSERT, UPDATE or DELETE (row) on reply_templates: reply_template.saved / .reset (the intent, never the text). */
create function private.audit_reply_template() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.reply_templates;
begin
  if tg_op = 'DELETE' then
    v_row := old;
  else
    v_row := new;
  end if;
  -- A deleted dealership takes its templates with it; there is nobody left to tell.
  if (select auth.uid()) is null or not exists (select 1 from public.dealerships d where d.id = v_row.dealership_id) then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_row.dealership_id, (select auth.uid()),
          case when tg_op = 'DELETE' then 'reply_template.reset' else 'reply_template.saved' end,
          'reply_template', v_row.intent::text,
          case when tg_op = 'DELETE' then '{}'::jsonb else jsonb_build_object('auto_send', v_row.auto_send) end);
  return null;
end
$$;
revoke all on function private.audit_reply_template() from public;
create trigger reply_templates_audit after insert or update or delete on public.reply_templates
  for each row execute function private.audit_reply_template();
