set lock_timeout = '5s';
set statement_timeout = '60s';

-- Operators assign the platform's Twilio numbers to dealerships, and release them, from the
-- operator console (issue 15 item 3). Same rules as a dealership's own registration
-- (public.register_sending_number): only a number Twilio confirmed the platform owns in the last
-- 10 minutes (RL020; the server asks Twilio and records the reading first), serialized with every
-- registration by the same advisory lock, and a number belongs to one dealership at a time:
-- registered by another dealership, or in the pool of another dealership's Messaging Service, it
-- is refused (RL095). Both changes are audited in the dealership's own log with the operator as
-- actor: sending_number.added (metadata by = operator) here, sending_number.removed by the
-- existing delete trigger (private.audit_sending_number), whose actor is the caller.

insert into private.platform_role_permissions (permission, role) values
  ('platform.sending_numbers.assign', 'operator'),
  ('platform.sending_numbers.release', 'operator');

/*
 * Assign a platform number (E.164) to a dealership as the signed-in operator; returns the new
 * sending number's id. 42501: not an operator. RL071: no such dealership. RL095: the number
 * belongs to another dealership (or is already this one's). RL020: not confirmed by Twilio.
 */
create function public.platform_assign_sending_number(p_dealership_id uuid, p_phone_number text, p_label text default null)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_fresh constant interval := interval '10 minutes';
begin
  if (select auth.uid()) is null or not private.has_platform_permission('platform.sending_numbers.assign') then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  if p_phone_number is null or p_phone_number !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception 'a phone number in E.164 form' using errcode = '22023';
  end if;
  -- The same lock as register_sending_number: the ownership checks below read what a
  -- registration could be writing.
  perform pg_advisory_xact_lock(hashtextextended('public.register_sending_number', 0));

  if not exists (select 1 from public.dealerships d where d.id = p_dealership_id) then
    raise exception 'no such dealership' using errcode = 'RL071';
  end if;
  if exists (select 1 from public.sending_numbers s where s.phone_number = p_phone_number)
     or exists (select 1 from private.twilio_service_numbers p
                join public.sending_numbers s on s.messaging_service_sid = p.messaging_service_sid
                where p.phone_number = p_phone_number and s.dealership_id <> p_dealership_id) then
    raise exception 'the number already belongs to a dealership' using errcode = 'RL095';
  end if;
  if not exists (select 1 from private.twilio_phone_numbers t
                 where t.phone_number = p_phone_number and t.verified_at > now() - v_fresh) then
    raise exception 'not a number of the platform''s Twilio account' using errcode = 'RL020';
  end if;

  insert into public.sending_numbers (dealership_id, phone_number, label)
  values (p_dealership_id, p_phone_number, nullif(btrim(p_label), ''))
  returning id into v_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'sending_number.added', 'sending_number', v_id::text,
          jsonb_build_object('kind', 'phone_number', 'by', 'operator'));
  return v_id;
end
$$;

/*
 * Release a dealership's number (a phone number or Messaging Service SID) as the signed-in
 * operator; false when the dealership has no such number. Conversations keep their history and
 * fall back to the default number (sending_number_id is set null). 42501: not an operator.
 */
create function public.platform_release_sending_number(p_dealership_id uuid, p_address text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_deleted integer;
begin
  if (select auth.uid()) is null or not private.has_platform_permission('platform.sending_numbers.release') then
    raise exception 'platform operators only' using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('public.register_sending_number', 0));
  -- The delete trigger writes sending_number.removed in the dealership's log, with the operator as actor.
  delete from public.sending_numbers s
  where s.dealership_id = p_dealership_id and (s.phone_number = p_address or s.messaging_service_sid = p_address);
  get diagnostics v_deleted = row_count;
  return v_deleted > 0;
end
$$;

revoke all on function public.platform_assign_sending_number(uuid, text, text) from public, anon;
revoke all on function public.platform_release_sending_number(uuid, text) from public, anon;
grant execute on function public.platform_assign_sending_number(uuid, text, text) to authenticated;
grant execute on function public.platform_release_sending_number(uuid, text) to authenticated;
