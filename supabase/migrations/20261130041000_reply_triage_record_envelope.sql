-- The automatic answer's lead name in either storage shape: since 20261130020000 a lead's personal
-- fields live in one record envelope (leads.pii_enc), while rows not yet converted by
-- `npm run keys:rotate` still have the per-field columns. record_reply_triage (20261130040000)
-- returned only the per-field columns; it now returns pii_enc too (a new result column, so the
-- function is dropped and created again, with its grant).
set lock_timeout = '5s';
set statement_timeout = '60s';

drop function private.record_reply_triage(uuid, text, real, timestamptz, text);

create function private.record_reply_triage(
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
  if not exists (select 1 from public.reply_templates t
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
revoke all on function private.record_reply_triage(uuid, text, real, timestamptz, text) from public, anon, authenticated;
grant execute on function private.record_reply_triage(uuid, text, real, timestamptz, text) to sms_webhook;
