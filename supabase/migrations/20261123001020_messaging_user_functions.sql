-- What signed-in users do with messages: queue a reply, record what Twilio answered, mark a
-- conversation read. Users cannot write conversations or messages directly; these functions
-- re-check membership, lead visibility and consent, and take the actor from the verified JWT.

-- ---------------------------------------------------------------------------------------------
-- Queue: the last consent check before a send happens here, in the same statement that stores
-- the message, so an opt-out that lands a moment earlier is honoured.
-- ---------------------------------------------------------------------------------------------

/* Store an outbound message as 'pending' and return what the send needs (lead phone, from). */
create function public.queue_outbound_message(
  p_dealership_id uuid,
  p_lead_id uuid,
  p_message_id uuid,
  p_body_enc text,
  p_segments integer
) returns table (conversation_id uuid, lead_phone_enc text, from_number text, messaging_service_sid text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead public.leads;
  v_conversation uuid;
  v_number public.sending_numbers;
begin
  if (select auth.uid()) is null or not private.has_role_on_dealership(p_dealership_id) then
    raise exception 'not a member of this dealership' using errcode = '42501';
  end if;
  select l.* into v_lead from public.leads l
   where l.id = p_lead_id and l.dealership_id = p_dealership_id
     and (private.has_role_on_dealership(p_dealership_id, array['owner', 'admin', 'manager']::public.membership_role[])
          or l.assigned_to = (select auth.uid()))
   for update;
  if v_lead.id is null then
    raise exception 'lead not found' using errcode = '42501';
  end if;
  if v_lead.consent_status = 'opted_out' or exists (
    select 1 from public.do_not_contact d where d.dealership_id = p_dealership_id and d.phone_bidx = v_lead.phone_bidx
  ) then
    raise exception 'lead has opted out' using errcode = 'RL001';
  end if;
  if v_lead.phone_enc is null then
    raise exception 'lead has no phone number' using errcode = 'RL003';
  end if;

  -- Reply from the number the lead last wrote to, else the dealership's first number.
  select s.* into v_number from public.sending_numbers s
    left join public.conversations c on c.sending_number_id = s.id and c.lead_id = p_lead_id
   where s.dealership_id = p_dealership_id
   order by (c.id is not null) desc, s.created_at, s.id
   limit 1;
  if v_number.id is null then
    raise exception 'no sending number' using errcode = 'RL002';
  end if;

  insert into public.conversations as c (dealership_id, lead_id, sending_number_id)
  values (p_dealership_id, p_lead_id, v_number.id)
  on conflict on constraint conversations_lead_id_key do update set last_message_at = now()
  returning c.id into v_conversation;
  update public.conversations c set last_message_at = now(), sending_number_id = coalesce(c.sending_number_id, v_number.id)
   where c.id = v_conversation;

  insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, sent_by)
  values (p_message_id, p_dealership_id, v_conversation, p_lead_id, 'outbound', p_body_enc, 'pending', p_segments, (select auth.uid()));
  update public.leads l set last_activity_at = now() where l.id = p_lead_id;

  return query select v_conversation, v_lead.phone_enc, v_number.phone_number, v_number.messaging_service_sid;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Result: only the sender, only their own message, only what a create call can answer.
-- ---------------------------------------------------------------------------------------------

/* Record Twilio's answer to the create call for the caller's own message; returns the status. */
create function public.record_outbound_result(
  p_message_id uuid,
  p_twilio_sid text,
  p_status text,
  p_error_code integer
) returns public.message_status
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead uuid;
  v_status public.message_status;
begin
  if p_status not in ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'failed') then
    raise exception 'not a create status' using errcode = '22023';
  end if;
  update public.messages m
     set twilio_sid = coalesce(m.twilio_sid, p_twilio_sid), status = p_status::public.message_status,
         error_code = coalesce(p_error_code, m.error_code)
   where m.id = p_message_id and m.direction = 'outbound' and m.sent_by = (select auth.uid())
  returning m.lead_id, m.status into v_lead, v_status;
  if v_lead is null then
    raise exception 'message not found' using errcode = '42501';
  end if;
  -- Twilio refused because the recipient texted STOP to this number: they are opted out.
  if p_error_code = 21610 then
    perform private.opt_out_lead(v_lead, 'twilio_error_21610');
  end if;
  return v_status;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Read state.
-- ---------------------------------------------------------------------------------------------

/* Mark a conversation the caller can see as read (its inbound messages get read_at). */
create function public.mark_conversation_read(p_conversation_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  select c.* into v_conversation from public.conversations c where c.id = p_conversation_id;
  if v_conversation.id is null
     or not (
       private.has_role_on_dealership(v_conversation.dealership_id, array['owner', 'admin', 'manager']::public.membership_role[])
       or v_conversation.lead_id in (select private.assigned_lead_ids_for_current_user())
     ) then
    raise exception 'conversation not found' using errcode = '42501';
  end if;
  update public.messages m set read_at = now()
   where m.conversation_id = p_conversation_id and m.direction = 'inbound' and m.read_at is null;
  update public.conversations c set unread_count = 0, needs_attention = false
   where c.id = p_conversation_id and (c.unread_count <> 0 or c.needs_attention);
end
$$;

revoke all on function public.queue_outbound_message(uuid, uuid, uuid, text, integer) from public, anon;
revoke all on function public.record_outbound_result(uuid, text, text, integer) from public, anon;
revoke all on function public.mark_conversation_read(uuid) from public, anon;
grant execute on function public.queue_outbound_message(uuid, uuid, uuid, text, integer) to authenticated;
grant execute on function public.record_outbound_result(uuid, text, text, integer) to authenticated;
grant execute on function public.mark_conversation_read(uuid) to authenticated;
