set lock_timeout = '5s';
set statement_timeout = '60s';

-- A dealership's automatic answers to replies (reply_templates.auto_send) are sent by the webhook
-- before they are stored, as auto_reply rows, so the outbound trigger cannot stop them. The triage
-- step that hands the webhook the answer now hands none for a dealership that is closed (or, the
-- same rule as for every other send, not active). STOP and HELP confirmations are not affected.
-- Same body as in 20261130041000_reply_triage_record_envelope.sql plus that one condition.

create or replace function private.record_reply_triage(
  p_message_id uuid,
  p_intent text,
  p_confidence real,
  p_date timestamptz,
  p_source text
) returns table (action text, auto_answer text, lead_id uuid, pii_enc text, first_name_enc text, last_name_enc text, dealer_name text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
  v_intent public.reply_intent;
  v_action text;
begin
  if p_source is null or p_source not in ('rule', 'model', 'llm') then
    raise exception 'unknown triage source' using errcode = '22023';
  end if;
  -- An unknown intent fails the cast (22P02).
  v_intent := p_intent::public.reply_intent;
  update public.messages m
     set intent = v_intent, intent_confidence = greatest(0, least(1, p_confidence)),
         intent_date = p_date, intent_source = p_source
   where m.id = p_message_id and m.direction = 'inbound' and m.intent is null
  returning m.* into v_message;
  if v_message.id is null then
    return query select 'none'::text, null::text, null::uuid, null::text, null::text, null::text, null::text;
    return;
  end if;
  update public.conversations c
     set last_intent = v_intent, last_intent_at = v_message.created_at,
         unread_count = case when v_intent = 'auto_reply' then greatest(c.unread_count - 1, 0) else c.unread_count end
   where c.id = v_message.conversation_id
     and (c.last_intent_at is null or c.last_intent_at <= v_message.created_at);
  v_action := private.apply_reply_intent(p_message_id, v_intent, 'classifier', null);
  -- An automatic answer is a send like any other: none from a closed, suspended or pending dealership.
  if not exists (select 1 from public.reply_templates t
                 join public.dealerships d on d.id = t.dealership_id and d.status = 'active' and d.closed_at is null
                 where t.dealership_id = v_message.dealership_id and t.intent = v_intent and t.auto_send) then
    return query select v_action, null::text, null::uuid, null::text, null::text, null::text, null::text;
    return;
  end if;
  return query
    select v_action, t.body, l.id, l.pii_enc, l.first_name_enc, l.last_name_enc, d.name
    from public.leads l
    join public.dealerships d on d.id = l.dealership_id
    left join public.reply_templates t
      on t.dealership_id = l.dealership_id and t.intent = v_intent and t.auto_send
         and l.consent_status <> 'opted_out'
         and not exists (select 1 from public.do_not_contact n where n.dealership_id = l.dealership_id and n.phone_bidx = l.phone_bidx)
    where l.id = v_message.lead_id;
end
$$;
