-- The export covers every table with a dealership's data: the reply triage tables
-- (20261130040000: reply_templates, triage_corrections) landed beside the export and join its
-- fixed list here. Same function, same grant (create or replace keeps it).
set lock_timeout = '5s';
set statement_timeout = '60s';

create or replace function private.export_table(p_dealership_id uuid, p_table text) returns setof jsonb
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
                     'invitations', 'dealership_campaign_settings', 'audit_events', 'reply_templates',
                     'triage_corrections') then
    raise exception 'not an exported table' using errcode = '22023';
  end if;
  return query execute format(
    'select private.export_strip(to_jsonb(t)) from public.%I t where t.dealership_id = $1 order by %s',
    p_table, case p_table when 'audit_events' then 't.chain_seq' when 'dealership_campaign_settings' then 't.dealership_id'
      when 'reply_templates' then 't.intent' else 't.id' end)
    using p_dealership_id;
end
$$;
