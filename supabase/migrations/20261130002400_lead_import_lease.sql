set lock_timeout = '5s';
set statement_timeout = '60s';

-- A lease on running imports (issue 8, finding 15). An import holds its record's lease by
-- refreshing heartbeat_at every few seconds (a short transaction of its own beside the import's
-- long one). A process that dies stops refreshing, and its transaction is rolled back by Postgres,
-- so once the lease has expired nothing of that import can ever commit: the record is marked
-- failed with a message the import page shows. The sweep runs when the import history is loaded
-- and before a new import starts; it is a definer function because the record belongs to the
-- importer and any owner, admin or manager may be the one who notices.

alter table public.lead_imports add column heartbeat_at timestamptz not null default now();
grant update (heartbeat_at) on public.lead_imports to authenticated;

-- The sweep's filter.
create index lead_imports_processing_idx on public.lead_imports (dealership_id, heartbeat_at) where status = 'processing';

/* Mark the dealership's imports whose lease expired failed; returns how many. */
create function public.expire_stale_lead_imports(p_dealership_id uuid) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_count integer;
begin
  if (select auth.uid()) is null
     or not private.has_role_on_dealership(p_dealership_id, array['owner', 'admin', 'manager']::public.membership_role[]) then
    raise exception 'not allowed to import into this dealership' using errcode = '42501';
  end if;
  with expired as (
    update public.lead_imports i
       set status = 'failed', finished_at = now(), failure_code = 'lease_expired',
           error = 'The import stopped unexpectedly; nothing was saved. Please try again.',
           imported_count = 0, updated_count = 0, duplicate_count = 0, invalid_count = 0, suppressed_count = 0
     where i.dealership_id = p_dealership_id and i.status = 'processing'
       -- The lease: the app refreshes it every 5 seconds; a minute of silence means the process is gone.
       and i.heartbeat_at < now() - interval '60 seconds'
    returning 1
  )
  select count(*)::integer into v_count from expired;
  return v_count;
end
$$;
revoke all on function public.expire_stale_lead_imports(uuid) from public, anon;
grant execute on function public.expire_stale_lead_imports(uuid) to authenticated;
