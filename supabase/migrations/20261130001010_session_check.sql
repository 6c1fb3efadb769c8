set lock_timeout = '5s';
set statement_timeout = '60s';

-- An access token is only as good as its session. Supabase Auth signs access tokens for up to an
-- hour and cannot recall them: after sign-out (the session row is deleted), refresh-token reuse
-- detection (every refresh token of the session is revoked) or a session past not_after, the
-- old token's signature still verifies. The app therefore asks the database, at the start of
-- every user transaction, whether the token's session (the `session_id` claim) is still alive.
-- One primary-key lookup plus one index probe on refresh_tokens (session_id, revoked).
--
-- Supabase Auth has two refresh-token formats. v1 tokens are rows in auth.refresh_tokens; reuse
-- detection revokes them all and leaves the session row. v2 tokens (refresh_token_hmac_key set
-- on the session) have no rows there; reuse detection deletes the session. Sign-out deletes the
-- session in both.

/*
 * True when the current request's JWT names a session that still exists for this user, has not
 * expired, and (v1 tokens) still holds an unrevoked refresh token. SECURITY DEFINER because the
 * API roles cannot read auth.sessions; it reveals nothing but the caller's own session state.
 */
create function private.session_is_active()
returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1
    from auth.sessions s
    -- A missing or malformed claim matches no row (never a cast error); the scalar subquery is
    -- evaluated once, so this is a primary-key lookup.
    where s.id = (
      select case when c.sid ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then c.sid::uuid end
      from (select (select auth.jwt()) ->> 'session_id' as sid) as c
    )
      and s.user_id = (select auth.uid())
      and (s.not_after is null or s.not_after > now())
      and (
        s.refresh_token_hmac_key is not null
        or exists (select 1 from auth.refresh_tokens t where t.session_id = s.id and t.revoked = false)
      )
  )
$$;
revoke all on function private.session_is_active() from public, anon, authenticated;
grant execute on function private.session_is_active() to authenticated;
