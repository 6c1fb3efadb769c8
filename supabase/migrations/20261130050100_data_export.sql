set lock_timeout = '5s';
set statement_timeout = '60s';

-- Data export (issue 11, item 1). The download is a service path: the route checks the user's
-- permission and recent re-authentication and records the export (public.record_data_export,
-- which checks both again in the database and writes the audit row); the rows are then read by
-- the NOLOGIN role `exporter`, which holds no table grant and may execute only
-- private.export_table: one dealership's rows of one table from a fixed list, without the
-- secrets (blind indexes, tokens, hashes). Decryption happens in the app (lib/export).

insert into private.role_permissions (permission, role)
values ('data.export', 'owner'), ('data.export', 'admin');

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'exporter') then
    create role exporter nologin noinherit;
  end if;
end
$$;
grant exporter to postgres;
grant usage on schema private to exporter;

/*
 * One dealership's rows of one exported table, as jsonb objects with the secret columns removed.
 * `team` is the memberships with each member's e-mail. Rows come in a stable order.
 */
create function private.export_table(p_dealership_id uuid, p_table text) returns setof jsonb
language plpgsql stable security definer set search_path = ''
as $$
begin
  if p_table = 'team' then
    return query
      select jsonb_build_object('user_id', m.user_id, 'email', u.email, 'role', m.role, 'created_at', m.created_at)
      from public.memberships m join auth.users u on u.id = m.user_id
      where m.dealership_id = p_dealership_id
      order by m.created_at, m.user_id;
    return;
  end if;
  if p_table = 'dealership' then
    return query
      select private.export_strip(to_jsonb(d)) from public.dealerships d where d.id = p_dealership_id;
    return;
  end if;
  if p_table not in ('leads', 'lead_sources', 'conversations', 'messages', 'campaigns', 'campaign_recipients',
                     'consent_events', 'do_not_contact', 'lead_imports', 'import_mappings', 'sending_numbers',
                     'invitations', 'dealership_campaign_settings', 'audit_events') then
    raise exception 'not an exported table' using errcode = '22023';
  end if;
  return query execute format(
    'select private.export_strip(to_jsonb(t)) from public.%I t where t.dealership_id = $1 order by %s',
    p_table, case p_table when 'audit_events' then 't.chain_seq' when 'dealership_campaign_settings' then 't.dealership_id' else 't.id' end)
    using p_dealership_id;
end
$$;

/* A row without the columns that never leave the database: blind indexes, tokens, hashes, secrets. */
create function private.export_strip(p_row jsonb) returns jsonb
language sql immutable set search_path = ''
as $$
  select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
  from jsonb_each(p_row) as e
  where e.key !~ '(_bidx|token|_hash|secret|claim_)'
$$;

revoke all on function private.export_table(uuid, text) from public, anon, authenticated;
revoke all on function private.export_strip(jsonb) from public, anon, authenticated;
grant execute on function private.export_table(uuid, text) to exporter;

/*
 * Record that the current user exports the dealership's data: refuses unless they hold
 * data.export there and re-authenticated in the last 5 minutes (RL040), then writes the audit row.
 */
create function public.record_data_export(p_dealership_id uuid, p_format text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'data.export') then
    raise exception 'your role does not allow this' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  if p_format not in ('csv', 'json') then
    raise exception 'unknown export format' using errcode = '22023';
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, metadata)
  values (p_dealership_id, (select auth.uid()), 'data.exported', 'dealership', jsonb_build_object('format', p_format));
end
$$;
revoke all on function public.record_data_export(uuid, text) from public, anon;
grant execute on function public.record_data_export(uuid, text) to authenticated;
