set lock_timeout = '5s';
set statement_timeout = '60s';

-- The operator console shows which dealerships their owners closed and when they will be purged
-- (20261130085000_dealership_closure). Same function as in 20261130060200_operator_console.sql
-- with two more columns; the return type changes, so it is dropped and created again.

drop function public.platform_dealership_overview();

create function public.platform_dealership_overview()
returns table (
  id uuid, name text, status public.dealership_status, created_at timestamptz,
  members integer, leads integer, sending_numbers text[],
  outbound_30d integer, campaign_messages_30d integer, failed_30d integer, opted_out_leads integer,
  closed_at timestamptz, purge_after timestamptz
)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.has_platform_permission('platform.dealerships.read') then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  return query
    select d.id, d.name, d.status, d.created_at,
           (select count(*)::integer from public.memberships m where m.dealership_id = d.id),
           (select count(*)::integer from public.leads l where l.dealership_id = d.id),
           coalesce((select array_agg(coalesce(s.phone_number, s.messaging_service_sid) order by s.created_at)
                       from public.sending_numbers s where s.dealership_id = d.id), '{}'),
           (select count(*)::integer from public.messages mm
             where mm.dealership_id = d.id and mm.direction = 'outbound' and mm.created_at > now() - interval '30 days'),
           (select count(*)::integer from public.campaign_recipients r join public.campaigns c on c.id = r.campaign_id
             where r.dealership_id = d.id and c.launched_at > now() - interval '30 days'
               and r.status in ('sent', 'delivered', 'failed')),
           (select count(*)::integer from public.messages mm
             where mm.dealership_id = d.id and mm.direction = 'outbound' and mm.created_at > now() - interval '30 days'
               and mm.status in ('failed', 'undelivered')),
           (select count(*)::integer from public.leads l where l.dealership_id = d.id and l.consent_status = 'opted_out'),
           d.closed_at, d.purge_after
      from public.dealerships d
     order by d.status = 'pending' desc, d.created_at desc;
end
$$;

revoke all on function public.platform_dealership_overview() from public, anon;
grant execute on function public.platform_dealership_overview() to authenticated;
