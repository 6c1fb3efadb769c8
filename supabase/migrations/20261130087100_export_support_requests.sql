set lock_timeout = '5s';
set statement_timeout = '60s';

-- The export covers support access requests too (who asked, why, who answered, for how long):
-- every step is also in the exported audit log, but the reason and the times live only here.
-- Same function as in 20261130081000_export_table_typed_cursor.sql with one more table name.

create or replace function private.export_table(p_dealership_id uuid, p_table text) returns refcursor
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_cursor refcursor;
  v_relation text;
  v_columns text;
begin
  if p_table not in ('dealership', 'team', 'leads', 'lead_sources', 'conversations', 'messages', 'campaigns',
                     'campaign_recipients', 'consent_events', 'do_not_contact', 'lead_imports', 'import_mappings',
                     'sending_numbers', 'invitations', 'dealership_campaign_settings', 'audit_events',
                     'reply_templates', 'triage_corrections', 'support_access_requests') then
    raise exception 'not an exported table' using errcode = '22023';
  end if;
  v_cursor := 'export_' || p_table;

  if p_table = 'team' then
    open v_cursor for
      select m.role, u.email, m.user_id, to_jsonb(m.created_at) #>> '{}' as created_at
      from public.memberships m join auth.users u on u.id = m.user_id
      where m.dealership_id = p_dealership_id
      order by m.created_at, m.user_id;
    return v_cursor;
  end if;

  v_relation := case p_table when 'dealership' then 'dealerships' else p_table end;
  select string_agg(
           case
             when b.oid in ('boolean'::regtype, 'smallint'::regtype, 'integer'::regtype, 'bigint'::regtype,
                            'real'::regtype, 'double precision'::regtype, 'numeric'::regtype, 'jsonb'::regtype,
                            'uuid'::regtype)
                  or b.typcategory = 'S' or b.typtype = 'e' then
               -- a domain is read as its base type, as to_jsonb did
               case when t.typtype = 'd' then format('t.%I::%s', a.attname, format_type(b.oid, t.typtypmod))
                    else format('t.%I', a.attname) end
             when b.oid = 'json'::regtype or b.typcategory in ('A', 'C') then format('to_jsonb(t.%I)', a.attname)
             else format('to_jsonb(t.%I) #>> ''{}''', a.attname)
           end || format(' as %I', a.attname),
           ', ' order by octet_length(a.attname), a.attname collate "C")
    into v_columns
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_type t on t.oid = a.atttypid
  join pg_catalog.pg_type b on b.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
  where a.attrelid = format('public.%I', v_relation)::regclass
    and a.attnum > 0 and not a.attisdropped
    and a.attname !~ '(_bidx|token|_hash|secret|claim_)';

  open v_cursor for execute format(
    'select %s from public.%I t where t.%I = $1 order by %s',
    v_columns, v_relation,
    case p_table when 'dealership' then 'id' else 'dealership_id' end,
    case p_table when 'audit_events' then 't.chain_seq' when 'dealership_campaign_settings' then 't.dealership_id'
      when 'reply_templates' then 't.intent' else 't.id' end)
    using p_dealership_id;
  return v_cursor;
end
$$;
