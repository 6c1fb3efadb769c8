-- The Twilio webhooks' database access. A webhook has no user, and it must not get a blanket
-- bypass either: the app's pool connection switches (`set local role sms_webhook`, in one
-- transaction) to a NOLOGIN role that owns nothing, can read or write no table, and may execute
-- only the three SECURITY DEFINER functions below. Each one re-checks its inputs and touches only
-- the rows its job needs. The pool's login role (postgres) is a member so it can switch; the API
-- gateway's role (authenticator) deliberately is not, so no JWT can ever name this role.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'sms_webhook') then
    create role sms_webhook nologin noinherit;
  end if;
end
$$;
grant sms_webhook to postgres;
grant usage on schema private to sms_webhook;

-- ---------------------------------------------------------------------------------------------
-- Routing: To (our number) -> the dealership; a number inside a Messaging Service pool is routed
-- by the MessagingServiceSid Twilio sends with it.
-- ---------------------------------------------------------------------------------------------

/* The sending number and dealership an inbound message was addressed to; no row when unknown. */
create function private.route_inbound_sms(p_to text, p_messaging_service_sid text)
returns table (sending_number_id uuid, dealership_id uuid, dealership_name text)
language sql stable security definer set search_path = ''
as $$
  select s.id, s.dealership_id, d.name
  from public.sending_numbers s
  join public.dealerships d on d.id = s.dealership_id
  where s.phone_number = p_to
     or (p_messaging_service_sid is not null and s.messaging_service_sid = p_messaging_service_sid)
  order by (s.phone_number is not null) desc
  limit 1
$$;

-- ---------------------------------------------------------------------------------------------
-- Inbound message: find or create the lead (by the phone blind index), the conversation, store the
-- encrypted body once per MessageSid, apply a consent keyword, store the HELP answer if any.
-- Every value is prepared by the app (ciphertexts bound to ids it chose); the function decides.
-- ---------------------------------------------------------------------------------------------

/* Store one inbound SMS; a retried MessageSid returns the stored message with duplicate = true. */
create function private.record_inbound_message(
  p_sending_number_id uuid,
  p_message_id uuid,
  p_twilio_sid text,
  p_body_enc text,
  p_segments integer,
  p_num_media integer,
  p_phone_bidx text,
  p_new_lead_id uuid,
  p_new_lead_phone_enc text,
  p_consent_action text,
  p_consent_source text,
  p_needs_review boolean,
  p_reply_id uuid default null,
  p_reply_body_enc text default null,
  p_reply_segments integer default null
) returns table (message_id uuid, lead_id uuid, conversation_id uuid, duplicate boolean, lead_created boolean, consent_changed boolean)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_dealership uuid;
  v_lead uuid;
  v_created boolean := false;
  v_conversation uuid;
  v_message uuid;
  v_changed boolean := false;
begin
  if p_consent_action not in ('opt_out', 'opt_in', 'help', 'none') then
    raise exception 'unknown consent action' using errcode = '22023';
  end if;
  select s.dealership_id into v_dealership from public.sending_numbers s where s.id = p_sending_number_id;
  if v_dealership is null then
    raise exception 'unknown sending number' using errcode = '22023';
  end if;

  -- A retry of a stored message changes nothing (the common case, answered without writes).
  return query select m.id, m.lead_id, m.conversation_id, true, false, false
    from public.messages m where m.twilio_sid = p_twilio_sid;
  if found then
    return;
  end if;

  insert into public.leads (id, dealership_id, phone_enc, phone_bidx, source, last_activity_at)
  values (p_new_lead_id, v_dealership, p_new_lead_phone_enc, p_phone_bidx, 'inbound SMS', now())
  on conflict (dealership_id, phone_bidx) do nothing
  returning id into v_lead;
  v_created := v_lead is not null;
  if not v_created then
    select l.id into v_lead from public.leads l where l.dealership_id = v_dealership and l.phone_bidx = p_phone_bidx;
  end if;

  insert into public.conversations as c (dealership_id, lead_id, sending_number_id)
  values (v_dealership, v_lead, p_sending_number_id)
  on conflict on constraint conversations_lead_id_key do update set sending_number_id = excluded.sending_number_id
  returning c.id into v_conversation;

  -- A concurrent retry may have won since the check above; the unique sid makes it lose here.
  insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, twilio_sid, status,
                               segments, num_media, needs_review)
  values (p_message_id, v_dealership, v_conversation, v_lead, 'inbound', p_body_enc, p_twilio_sid, 'received',
          p_segments, coalesce(p_num_media, 0), coalesce(p_needs_review, false))
  on conflict (twilio_sid) do nothing
  returning id into v_message;
  if v_message is null then
    return query select m.id, m.lead_id, m.conversation_id, true, false, false
      from public.messages m where m.twilio_sid = p_twilio_sid;
    return;
  end if;

  if p_consent_action = 'opt_out' then
    v_changed := private.opt_out_lead(v_lead, p_consent_source);
  elsif p_consent_action = 'opt_in' then
    v_changed := private.opt_in_lead(v_lead, p_consent_source);
  end if;
  -- A reply brings a new lead to life (the product's whole point); other statuses are the team's.
  update public.leads l
     set last_activity_at = now(), status = case when l.status = 'new' then 'engaged'::public.lead_status else l.status end
   where l.id = v_lead;

  if p_reply_id is not null then
    insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, auto_reply)
    values (p_reply_id, v_dealership, v_conversation, v_lead, 'outbound', p_reply_body_enc, 'accepted', p_reply_segments, true);
  end if;

  update public.conversations c
     set last_message_at = now(), last_inbound_at = now(), unread_count = c.unread_count + 1,
         needs_attention = c.needs_attention or coalesce(p_needs_review, false)
   where c.id = v_conversation;

  return query select v_message, v_lead, v_conversation, false, v_created, v_changed;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Status callback: the message is found by its sid, or (when the callback beats the app's own
-- write of the sid) by the message id the app put in the StatusCallback URL. The status rule
-- above decides whether the new status sticks. A carrier-reported opt-out (21610) opts the lead out.
-- ---------------------------------------------------------------------------------------------

/* Apply one delivery status; no row when the message is unknown, applied = false when ignored. */
create function private.apply_status_callback(p_message_id uuid, p_twilio_sid text, p_status text, p_error_code integer)
returns table (message_id uuid, status public.message_status, applied boolean)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_lead uuid;
  v_before public.message_status;
  v_after public.message_status;
begin
  if p_status is null or p_status not in ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled') then
    raise exception 'not a delivery status' using errcode = '22023';
  end if;
  select m.id, m.lead_id, m.status into v_id, v_lead, v_before
    from public.messages m
   where m.direction = 'outbound'
     and (m.twilio_sid = p_twilio_sid or (m.id = p_message_id and m.twilio_sid is null))
   limit 1
   for update;
  if v_id is null then
    return;
  end if;
  update public.messages m
     set status = p_status::public.message_status, error_code = coalesce(p_error_code, m.error_code),
         twilio_sid = coalesce(m.twilio_sid, p_twilio_sid)
   where m.id = v_id
  returning m.status into v_after;
  if v_after is distinct from v_before and p_error_code = 21610 then
    perform private.opt_out_lead(v_lead, 'twilio_error_21610');
  end if;
  return query select v_id, v_after, v_after is distinct from v_before;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Grants: these three and nothing else.
-- ---------------------------------------------------------------------------------------------
revoke all on function private.route_inbound_sms(text, text) from public;
revoke all on function private.record_inbound_message(uuid, uuid, text, text, integer, integer, text, uuid, text, text, text, boolean, uuid, text, integer) from public;
revoke all on function private.apply_status_callback(uuid, text, text, integer) from public;
grant execute on function private.route_inbound_sms(text, text) to sms_webhook;
grant execute on function private.record_inbound_message(uuid, uuid, text, text, integer, integer, text, uuid, text, text, text, boolean, uuid, text, integer) to sms_webhook;
grant execute on function private.apply_status_callback(uuid, text, text, integer) to sms_webhook;
