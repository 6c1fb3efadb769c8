set lock_timeout = '5s';
set statement_timeout = '60s';

-- Sign-in limits count failed attempts only: every attempt takes a slot before the password is
-- checked (so parallel guesses cannot overrun the limit), and a successful sign-in gives its slot
-- back, so staff who sign in often never lock themselves out. Only the server's own connection
-- role calls this; the API roles cannot.

/* Give back one hit counted in the current window of p_bucket (never below zero). */
create function private.rate_limit_refund(p_bucket text)
returns void
language sql volatile set search_path = ''
as $$
  update private.rate_limit_buckets set hits = greatest(hits - 1, 0) where bucket = p_bucket
$$;
revoke all on function private.rate_limit_refund(text) from public, anon, authenticated;
