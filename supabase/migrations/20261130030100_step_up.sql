-- Step-up re-authentication: before a destructive or sensitive operation the user proves again
-- who they are (their password, or a TOTP code when they have a second factor), and the proof is
-- good for 5 minutes of the session it was given in. Proofs are written only by the app's
-- `session_guard` role after the Auth server accepted the password or code, never by an API
-- role; the sensitive functions ask private.require_recent_auth() themselves, so the rule holds
-- for the Data API too.
set lock_timeout = '5s';
set statement_timeout = '60s';

create table private.reauthentications (
  session_id uuid primary key references auth.sessions (id) on delete cascade,
  user_id uuid not null,
  method text not null check (method in ('password', 'totp')),
  reauthenticated_at timestamptz not null default now()
);
alter table private.reauthentications enable row level security;
revoke all on private.reauthentications from public, anon, authenticated;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'session_guard') then
    create role session_guard nologin noinherit;
  end if;
end
$$;
grant session_guard to postgres;
grant usage on schema private to session_guard;

/* Record that the user proved who they are in this session (called by the app after Auth accepted it). */
create function private.record_reauthentication(p_session_id uuid, p_user_id uuid, p_method text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_method is null or p_method not in ('password', 'totp') then
    raise exception 'unknown method' using errcode = '22023';
  end if;
  if not exists (select 1 from auth.sessions s where s.id = p_session_id and s.user_id = p_user_id) then
    return false;
  end if;
  insert into private.reauthentications (session_id, user_id, method, reauthenticated_at)
  values (p_session_id, p_user_id, p_method, now())
  on conflict (session_id) do update
    set method = excluded.method, reauthenticated_at = excluded.reauthenticated_at, user_id = excluded.user_id
    -- A password never downgrades a fresher TOTP proof's method within its window.
    where not (private.reauthentications.method = 'totp' and excluded.method = 'password'
               and private.reauthentications.reauthenticated_at > now() - interval '5 minutes');
  return true;
end
$$;

/* Whether the user has a verified second factor. */
create function private.has_verified_factor(p_user_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from auth.mfa_factors f where f.user_id = p_user_id and f.status = 'verified')
$$;

/*
 * Whether the current session proved its user recently enough for a sensitive operation: within
 * the last 5 minutes (p_now is injectable for tests), by password, or by TOTP on an aal2 session
 * when the user has a second factor.
 */
create function private.recently_reauthenticated(p_now timestamptz default now()) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from private.reauthentications r
    where r.session_id = (
      select case when c.sid ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then c.sid::uuid end
      from (select (select auth.jwt()) ->> 'session_id' as sid) as c
    )
      and r.user_id = (select auth.uid())
      and r.reauthenticated_at > p_now - interval '5 minutes'
      and r.reauthenticated_at <= p_now + interval '1 minute'
      and (
        not private.has_verified_factor((select auth.uid()))
        or (r.method = 'totp' and (select auth.jwt()) ->> 'aal' = 'aal2')
      )
  )
$$;

/* Raise RL040 unless the current session re-authenticated recently (see recently_reauthenticated). */
create function private.require_recent_auth() returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.recently_reauthenticated() then
    raise exception 'confirm your password or code first' using errcode = 'RL040';
  end if;
end
$$;

revoke all on function private.record_reauthentication(uuid, uuid, text) from public, anon, authenticated;
revoke all on function private.has_verified_factor(uuid) from public, anon, authenticated;
revoke all on function private.recently_reauthenticated(timestamptz) from public, anon;
revoke all on function private.require_recent_auth() from public, anon;
grant execute on function private.record_reauthentication(uuid, uuid, text) to session_guard;
grant execute on function private.recently_reauthenticated(timestamptz) to authenticated;
grant execute on function private.require_recent_auth() to authenticated;
