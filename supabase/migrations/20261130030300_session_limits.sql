-- Session limits and the user's own session list. The app's session check (lib/db/scope.ts) asks
-- private.session_status() at the start of every user transaction: the session must be alive
-- (private.session_is_active), younger than the absolute cap and seen within the idle timeout
-- (both given by the app from its environment; defaults 7 days and 12 hours). It also says
-- whether the user has a second factor and re-authenticated recently, for the wrappers.
set lock_timeout = '5s';
set statement_timeout = '60s';

/* The current request's session id from the JWT, or null when missing or malformed. */
create function private.jwt_session_id() returns uuid
language sql stable set search_path = ''
as $$
  select case when c.sid ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then c.sid::uuid end
  from (select (select auth.jwt()) ->> 'session_id' as sid) as c
$$;

/* When a session was last seen: its last token refresh (v1 bumps updated_at, v2 sets refreshed_at). */
create function private.session_last_seen(p_updated_at timestamptz, p_refreshed_at timestamp, p_created_at timestamptz)
returns timestamptz
language sql immutable set search_path = ''
as $$ select greatest(p_created_at, p_updated_at, p_refreshed_at at time zone 'UTC') $$;

/*
 * The current session's state for the app: alive and within the limits (p_now injectable for
 * tests), whether the user has a verified second factor, and whether it re-authenticated recently.
 */
create function private.session_status(p_idle_timeout interval, p_max_age interval, p_now timestamptz default now())
returns table (active boolean, mfa_enrolled boolean, recent_auth boolean)
language sql stable security definer set search_path = ''
as $$
  select
    private.session_is_active() and exists (
      select 1 from auth.sessions s
      where s.id = private.jwt_session_id()
        and s.created_at > p_now - p_max_age
        and private.session_last_seen(s.updated_at, s.refreshed_at, s.created_at) > p_now - p_idle_timeout
    ),
    private.has_verified_factor((select auth.uid())),
    private.recently_reauthenticated(p_now)
$$;

/* The signed-in user's sessions, newest activity first; `current` marks the one asking. */
create function public.my_sessions()
returns table (id uuid, user_agent text, created_at timestamptz, last_seen_at timestamptz, aal text, current boolean)
language sql stable security definer set search_path = ''
as $$
  select s.id, left(s.user_agent, 512), s.created_at,
         private.session_last_seen(s.updated_at, s.refreshed_at, s.created_at), s.aal::text,
         s.id = private.jwt_session_id()
  from auth.sessions s
  where s.user_id = (select auth.uid())
  order by 4 desc, s.id
$$;

/* End one of the signed-in user's own sessions (another device). True when one ended. */
create function public.revoke_my_session(p_session_id uuid) returns boolean
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
  return v_count > 0;
end
$$;

revoke all on function private.jwt_session_id() from public, anon;
revoke all on function private.session_last_seen(timestamptz, timestamp, timestamptz) from public, anon;
revoke all on function private.session_status(interval, interval, timestamptz) from public, anon;
revoke all on function public.my_sessions() from public, anon;
revoke all on function public.revoke_my_session(uuid) from public, anon;
grant execute on function private.jwt_session_id() to authenticated;
grant execute on function private.session_last_seen(timestamptz, timestamp, timestamptz) to authenticated;
grant execute on function private.session_status(interval, interval, timestamptz) to authenticated;
grant execute on function public.my_sessions() to authenticated;
grant execute on function public.revoke_my_session(uuid) to authenticated;
