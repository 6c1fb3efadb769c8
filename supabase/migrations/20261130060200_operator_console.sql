-- The operator console's database side. Operators read aggregates only (no lead, message, name or
-- e-mail ever leaves these functions) and change a dealership's status through a function that
-- checks the platform permission map and audits the change in the dealership's own log with the
-- operator as actor. Both refuse anyone who is not an operator (42501), member or not.
set lock_timeout = '5s';
set statement_timeout = '60s';

/* Every dealership with its status and aggregates over the last 30 days (operators only). */
create function public.platform_dealership_overview()
returns table (
  id uuid, name text, status public.dealership_status, created_at timestamptz,
  members integer, leads integer, sending_numbers text[],
  outbound_30d integer, campaign_messages_30d integer, failed_30d integer, opted_out_leads integer
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
           (select count(*)::integer from public.leads l where l.dealership_id = d.id and l.consent_status = 'opted_out')
      from public.dealerships d
     order by d.status = 'pending' desc, d.created_at desc;
end
$$;

/* Approve, suspend or resume a dealership as the signed-in operator; false when it does not apply. */
create function public.platform_set_dealership_status(p_dealership_id uuid, p_transition text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if p_transition is null or p_transition not in ('approve', 'suspend', 'resume') then
    raise exception 'unknown transition' using errcode = '22023';
  end if;
  if (select auth.uid()) is null
     or not private.has_platform_permission(case p_transition
          when 'suspend' then 'platform.dealerships.suspend'
          when 'resume' then 'platform.dealerships.suspend'
          else 'platform.dealerships.approve' end) then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  return case p_transition
    when 'approve' then private.set_dealership_status(p_dealership_id, '{pending}', 'active', (select auth.uid()))
    when 'suspend' then private.set_dealership_status(p_dealership_id, '{pending,active}', 'suspended', (select auth.uid()))
    when 'resume' then private.set_dealership_status(p_dealership_id, '{suspended}', 'active', (select auth.uid()))
  end;
end
$$;

revoke all on function public.platform_dealership_overview() from public, anon;
revoke all on function public.platform_set_dealership_status(uuid, text) from public, anon;
grant execute on function public.platform_dealership_overview() to authenticated;
grant execute on function public.platform_set_dealership_status(uuid, text) to authenticated;
