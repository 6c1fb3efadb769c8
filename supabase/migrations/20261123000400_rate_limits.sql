-- Rate limiting: fixed-window counters shared by every app instance (serverless functions keep no
-- memory between requests). Buckets are HMACs computed by the app, so no IP, e-mail or phone
-- number is stored. Only the server's own connection role calls this; the API roles cannot.

create table private.rate_limit_buckets (
  bucket text primary key,
  window_started_at timestamptz not null,
  hits integer not null
);
alter table private.rate_limit_buckets enable row level security;
revoke all on private.rate_limit_buckets from public, anon, authenticated;

/* Count one hit against p_bucket; returns 0 when allowed, else the seconds until the window resets. */
create function private.rate_limit_hit(p_bucket text, p_limit integer, p_window_seconds integer)
returns integer
language plpgsql volatile set search_path = ''
as $$
declare
  v_row private.rate_limit_buckets;
begin
  insert into private.rate_limit_buckets as b (bucket, window_started_at, hits)
  values (p_bucket, now(), 1)
  on conflict (bucket) do update
    set hits = case when b.window_started_at <= now() - make_interval(secs => p_window_seconds) then 1 else b.hits + 1 end,
        window_started_at = case when b.window_started_at <= now() - make_interval(secs => p_window_seconds) then now() else b.window_started_at end
  returning * into v_row;
  if v_row.hits <= p_limit then
    return 0;
  end if;
  return greatest(1, ceil(extract(epoch from (v_row.window_started_at + make_interval(secs => p_window_seconds) - now())))::integer);
end
$$;
revoke all on function private.rate_limit_hit(text, integer, integer) from public, anon, authenticated;

/* Old windows are worthless; the app calls this now and then. */
create function private.rate_limit_prune() returns void
language sql volatile set search_path = ''
as $$ delete from private.rate_limit_buckets where window_started_at < now() - interval '1 hour' $$;
revoke all on function private.rate_limit_prune() from public, anon, authenticated;
