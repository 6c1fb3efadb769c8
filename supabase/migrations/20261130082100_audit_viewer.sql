set lock_timeout = '5s';
set statement_timeout = '60s';

-- The audit log viewer (issue 11, item 5): owners and admins filter the log by actor, action and
-- date and page through it newest first (keyset on chain_seq, the chain's own order), and
-- download the filtered log as CSV, which is itself recorded.

-- The filters' indexes: each is the dealership, the filtered column, then the paging order, so a
-- page is one index range scan however long the log. The table is append-only and modest (one row
-- per audited action), so a plain build holds its lock briefly.
-- squawk-ignore require-concurrent-index-creation
create index audit_events_actor_seq_idx on public.audit_events (dealership_id, actor_user_id, chain_seq);
-- squawk-ignore require-concurrent-index-creation
create index audit_events_action_seq_idx on public.audit_events (dealership_id, action, chain_seq);

/*
 * Record that the current user downloads the dealership's audit log with these filters (audit.view).
 * The filters are ids, action names and dates only: each is checked against its shape here too,
 * so no free text (let alone personal data) can be written into the log through this function.
 */
create function public.record_audit_export(p_dealership_id uuid, p_filters jsonb) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'audit.view') then
    raise exception 'your role does not allow this' using errcode = '42501';
  end if;
  if p_filters is null or jsonb_typeof(p_filters) <> 'object'
     or exists (select 1 from jsonb_each(p_filters) e
                where e.key not in ('actor', 'action', 'from', 'to') or jsonb_typeof(e.value) <> 'string')
     or coalesce(p_filters ->> 'actor', 'system') !~ '^(system|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$'
     or coalesce(p_filters ->> 'action', 'a.b') !~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$'
     or char_length(coalesce(p_filters ->> 'action', '')) > 64
     or coalesce(p_filters ->> 'from', '2000-01-01') !~ '^\d{4}-\d{2}-\d{2}$'
     or coalesce(p_filters ->> 'to', '2000-01-01') !~ '^\d{4}-\d{2}-\d{2}$' then
    raise exception 'invalid audit filters' using errcode = 'RL091';
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, metadata)
  values (p_dealership_id, (select auth.uid()), 'audit.exported', 'dealership', jsonb_build_object('filters', p_filters));
end
$$;
revoke all on function public.record_audit_export(uuid, jsonb) from public, anon;
grant execute on function public.record_audit_export(uuid, jsonb) to authenticated;
