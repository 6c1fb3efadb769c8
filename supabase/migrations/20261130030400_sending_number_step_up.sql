-- Sending-number changes are sensitive operations: registering or removing one needs a recent
-- re-authentication (private.require_recent_auth, see 20261130030100_step_up.sql), in the
-- database itself, as for team changes. Same function body as 20261130005100 otherwise.
set lock_timeout = '5s';
set statement_timeout = '60s';

create or replace function public.register_sending_number(
  p_dealership_id uuid,
  p_phone_number text,
  p_messaging_service_sid text,
  p_label text default null
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_fresh constant interval := interval '10 minutes';
begin
  if (select auth.uid()) is null
     or not private.has_permission(p_dealership_id, 'sending_numbers.manage') then
    raise exception 'only owners and admins manage sending numbers' using errcode = '42501';
  end if;
  -- A sending-number change is sensitive: a recent re-authentication (step-up) first.
  perform private.require_recent_auth();
  if num_nonnulls(p_phone_number, p_messaging_service_sid) <> 1 then
    raise exception 'give either a phone number or a Messaging Service SID' using errcode = '22023';
  end if;
  -- One registration at a time across the platform: the pool checks below read what another
  -- registration could be writing.
  perform pg_advisory_xact_lock(hashtextextended('public.register_sending_number', 0));

  if p_phone_number is not null then
    if exists (select 1 from private.twilio_service_numbers p
               join public.sending_numbers s on s.messaging_service_sid = p.messaging_service_sid
               where p.phone_number = p_phone_number and s.dealership_id <> p_dealership_id) then
      raise exception 'the number belongs to another dealership''s Messaging Service' using errcode = 'RL021';
    end if;
    if not exists (select 1 from private.twilio_phone_numbers t
                   where t.phone_number = p_phone_number and t.verified_at > now() - v_fresh) then
      raise exception 'not a number of the platform''s Twilio account' using errcode = 'RL020';
    end if;
  else
    if exists (
      select 1 from private.twilio_service_numbers p
      where p.messaging_service_sid = p_messaging_service_sid
        and (exists (select 1 from public.sending_numbers s
                     where s.phone_number = p.phone_number and s.dealership_id <> p_dealership_id)
             or exists (select 1 from private.twilio_service_numbers q
                        join public.sending_numbers s on s.messaging_service_sid = q.messaging_service_sid
                        where q.phone_number = p.phone_number and q.messaging_service_sid <> p_messaging_service_sid
                          and s.dealership_id <> p_dealership_id))
    ) then
      raise exception 'the service holds a number of another dealership' using errcode = 'RL021';
    end if;
    if not exists (select 1 from private.twilio_messaging_services t
                   where t.messaging_service_sid = p_messaging_service_sid and t.verified_at > now() - v_fresh) then
      raise exception 'not a Messaging Service of the platform''s Twilio account' using errcode = 'RL020';
    end if;
  end if;

  insert into public.sending_numbers (dealership_id, phone_number, messaging_service_sid, label)
  values (p_dealership_id, p_phone_number, p_messaging_service_sid, nullif(btrim(p_label), ''))
  returning id into v_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'sending_number.added', 'sending_number', v_id::text,
          jsonb_build_object('kind', case when p_phone_number is null then 'messaging_service' else 'phone_number' end));
  return v_id;
end
$$;

drop policy sending_numbers_delete on public.sending_numbers;
create policy sending_numbers_delete on public.sending_numbers for delete to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage'))
    and (select private.recently_reauthenticated())
  );
