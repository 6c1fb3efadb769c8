set lock_timeout = '5s';
set statement_timeout = '60s';

-- Reply triage (issue 13): every inbound reply gets an intent, a confidence and, for not_now and
-- appointment, a date; the safe actions happen in the database, in the webhook's transaction,
-- through one more narrow definer function for the sms_webhook role; staff correct an intent with
-- one click (the correction is kept as a training example and undoes or redoes the action).
--
-- * messages: intent, intent_confidence, intent_date, intent_source (rule / model / llm / staff).
-- * conversations: the latest reply's intent (the inbox filters, sorts and queues by it).
-- * leads: campaign_suppression (wrong_number / already_bought: campaigns skip the lead),
--   follow_up_at (a not_now reply's date) and appointment_at (a confirmed proposal).
-- * reply_templates: a dealership's suggested answer per intent ({{merge fields}}), and whether it
--   may be sent automatically (never for opt_out, wrong_number, auto_reply or hostile).
-- * triage_corrections: staff corrections, the new training examples (the body stays in messages,
--   encrypted; `npm run triage:export-corrections` decrypts them as the triage_exporter role).
-- * dealerships.triage_llm_enabled: the dealership's opt-in to the operator's LLM (off by default).
-- * campaign_recipients.replied_at: an auto-reply is not a campaign reply (cleared by the triage,
--   restored when staff correct the intent away from auto_reply).
-- Consent is not changed here: the webhook's consent path (record_inbound_message) stays the one
-- authority on opting out and in; an opt_out intent only flags the reply for a person.

create type public.reply_intent as enum (
  'opt_out', 'wrong_number', 'auto_reply', 'hostile', 'already_bought', 'appointment',
  'call_me', 'question', 'not_now', 'not_interested', 'interested', 'other'
);

-- ---------------------------------------------------------------------------------------------
-- Columns. All nullable without defaults (or a constant default): no table rewrite. The checks
-- are added NOT VALID and validated in 20261130040010 (their columns are new, so all null).
-- ---------------------------------------------------------------------------------------------
alter table public.messages add column intent public.reply_intent;
alter table public.messages add column intent_confidence real;
alter table public.messages add column intent_date timestamptz;
alter table public.messages add column intent_source text;
alter table public.messages add constraint messages_intent_shape check (
  (intent is null or direction = 'inbound')
  and (intent_confidence is null or intent_confidence between 0 and 1)
  and (intent_source is null or intent_source in ('rule', 'model', 'llm', 'staff'))
) not valid;

alter table public.conversations add column last_intent public.reply_intent;
alter table public.conversations add column last_intent_at timestamptz;

alter table public.leads add column campaign_suppression text;
alter table public.leads add column campaign_suppressed_at timestamptz;
alter table public.leads add column follow_up_at timestamptz;
alter table public.leads add column appointment_at timestamptz;
alter table public.leads add constraint leads_campaign_suppression_known
  check (campaign_suppression is null or campaign_suppression in ('wrong_number', 'already_bought')) not valid;

alter table public.dealerships add column triage_llm_enabled boolean not null default false;
-- Owners and admins turn the LLM on or off with the other settings (dealership.settings policy).
grant update (triage_llm_enabled) on public.dealerships to authenticated;

-- ---------------------------------------------------------------------------------------------
-- reply_templates: the dealership's own text (not personal data), so stored in clear.
-- ---------------------------------------------------------------------------------------------
create table public.reply_templates (
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  intent public.reply_intent not null,
  body text not null check (char_length(body) between 1 and 640),
  auto_send boolean not null default false,
  updated_by uuid references auth.users (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (dealership_id, intent),
  -- An opt-out, a wrong number, a machine or an angry person never gets an automatic text.
  constraint reply_templates_auto_send_safe
    check (not auto_send or intent not in ('opt_out', 'wrong_number', 'auto_reply', 'hostile'))
);
create index reply_templates_updated_by_idx on public.reply_templates (updated_by);
create trigger reply_templates_touch before update on public.reply_templates
  for each row execute function private.touch_updated_at();

alter table public.reply_templates enable row level security;
revoke all on public.reply_templates from anon, authenticated;
grant select, insert (dealership_id, intent, body, auto_send, updated_by), update (body, auto_send, updated_by), delete
  on public.reply_templates to authenticated;
create policy reply_templates_select on public.reply_templates for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user()));
create policy reply_templates_insert on public.reply_templates for insert to authenticated
  with check (updated_by = (select auth.uid())
              and dealership_id in (select private.dealership_ids_with_permission('dealership.settings')));
create policy reply_templates_update on public.reply_templates for update to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('dealership.settings')))
  with check (updated_by = (select auth.uid())
              and dealership_id in (select private.dealership_ids_with_permission('dealership.settings')));
create policy reply_templates_delete on public.reply_templates for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('dealership.settings')));

-- ---------------------------------------------------------------------------------------------
-- triage_corrections: written only by public.correct_reply_intent; visible where the lead is.
-- ---------------------------------------------------------------------------------------------
create table public.triage_corrections (
  id bigint generated always as identity primary key,
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  message_id uuid not null references public.messages (id) on delete cascade,
  lead_id uuid not null references public.leads (id) on delete cascade,
  from_intent public.reply_intent,
  to_intent public.reply_intent not null,
  corrected_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index triage_corrections_dealership_idx on public.triage_corrections (dealership_id, created_at desc);
create index triage_corrections_message_idx on public.triage_corrections (message_id, created_at desc);
create index triage_corrections_lead_idx on public.triage_corrections (lead_id);
create index triage_corrections_corrected_by_idx on public.triage_corrections (corrected_by);

alter table public.triage_corrections enable row level security;
revoke all on public.triage_corrections from anon, authenticated;
grant select on public.triage_corrections to authenticated;
create policy triage_corrections_select on public.triage_corrections for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );

-- ---------------------------------------------------------------------------------------------
-- The actions, shared by the webhook (source 'classifier') and by staff corrections ('staff').
-- Each one that changes a lead writes an audit event naming its source. Consent is never touched.
-- ---------------------------------------------------------------------------------------------
create function private.apply_reply_intent(p_message_id uuid, p_intent public.reply_intent, p_source text, p_actor uuid)
returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
  v_done text := 'none';
begin
  select m.* into v_message from public.messages m where m.id = p_message_id;
  if p_intent in ('wrong_number', 'already_bought') then
    update public.leads l
       set campaign_suppression = p_intent::text, campaign_suppressed_at = now(),
           -- Bought elsewhere: the lead is closed (lost), unless it is already closed or opted out.
           status = case when p_intent = 'already_bought' and l.status in ('new', 'engaged', 'appointment_set')
                         then 'lost'::public.lead_status else l.status end
     where l.id = v_message.lead_id and l.campaign_suppression is distinct from p_intent::text;
    if found then
      v_done := case p_intent when 'wrong_number' then 'phone_marked_wrong' else 'lead_closed' end;
      insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
      values (v_message.dealership_id, p_actor,
              case p_intent when 'wrong_number' then 'lead.phone_marked_wrong' else 'lead.closed_bought_elsewhere' end,
              'lead', v_message.lead_id::text,
              jsonb_build_object('source', p_source, 'message_id', p_message_id, 'suppressed', true));
    end if;
  elsif p_intent = 'not_now' and v_message.intent_date is not null then
    update public.leads l set follow_up_at = v_message.intent_date
     where l.id = v_message.lead_id and l.follow_up_at is distinct from v_message.intent_date;
    if found then
      v_done := 'follow_up_set';
      insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
      values (v_message.dealership_id, p_actor, 'lead.follow_up_set', 'lead', v_message.lead_id::text,
              jsonb_build_object('source', p_source, 'message_id', p_message_id));
    end if;
  elsif p_intent = 'auto_reply' and v_message.campaign_id is not null then
    -- Not a reply in the campaign's figures, unless the lead also answered it for real.
    update public.campaign_recipients r set replied_at = null, updated_at = now()
     where r.campaign_id = v_message.campaign_id and r.lead_id = v_message.lead_id and r.replied_at is not null
       and not exists (select 1 from public.messages m
                        where m.campaign_id = v_message.campaign_id and m.lead_id = v_message.lead_id
                          and m.direction = 'inbound' and m.id <> v_message.id
                          and m.intent is distinct from 'auto_reply');
  elsif p_intent = 'opt_out' then
    -- The consent path decided consent; a person reads every opt-out reply.
    update public.messages m set needs_review = true where m.id = p_message_id;
    update public.conversations c set needs_attention = true where c.id = v_message.conversation_id;
    v_done := 'flagged';
  end if;
  return v_done;
end
$$;
revoke all on function private.apply_reply_intent(uuid, public.reply_intent, text, uuid) from public, anon, authenticated;

/* Undo what apply_reply_intent did for an intent staff corrected away from. */
create function private.undo_reply_intent(p_message_id uuid, p_intent public.reply_intent, p_actor uuid)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
begin
  select m.* into v_message from public.messages m where m.id = p_message_id;
  if p_intent in ('wrong_number', 'already_bought') then
    update public.leads l set campaign_suppression = null, campaign_suppressed_at = null
     where l.id = v_message.lead_id and l.campaign_suppression = p_intent::text;
    if found then
      insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
      values (v_message.dealership_id, p_actor, 'lead.suppression_lifted', 'lead', v_message.lead_id::text,
              jsonb_build_object('source', 'staff', 'was', p_intent::text, 'message_id', p_message_id));
    end if;
  elsif p_intent = 'not_now' then
    update public.leads l set follow_up_at = null
     where l.id = v_message.lead_id and l.follow_up_at = v_message.intent_date;
  elsif p_intent = 'auto_reply' and v_message.campaign_id is not null then
    -- It was a person after all: the campaign counts the reply again.
    update public.campaign_recipients r set replied_at = v_message.created_at, updated_at = now()
     where r.campaign_id = v_message.campaign_id and r.lead_id = v_message.lead_id and r.replied_at is null;
  end if;
end
$$;
revoke all on function private.undo_reply_intent(uuid, public.reply_intent, uuid) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- The webhook's part (sms_webhook role).
-- ---------------------------------------------------------------------------------------------

/* What the webhook needs to triage a reply to this dealership. */
create function private.reply_triage_context(p_dealership_id uuid)
returns table (timezone text, llm_enabled boolean)
language sql stable security definer set search_path = ''
as $$
  select d.timezone, d.triage_llm_enabled from public.dealerships d where d.id = p_dealership_id
$$;
revoke all on function private.reply_triage_context(uuid) from public, anon, authenticated;
grant execute on function private.reply_triage_context(uuid) to sms_webhook;

/*
 * Store the classifier's verdict on an inbound message and take the automatic action. A message
 * already triaged (a Twilio retry) is left as it is. An auto-reply is not a reply: it leaves the
 * conversation's unread count as it was before it came. When the dealership turned on automatic
 * answers for this intent and the lead may be texted, the template comes back with the lead's
 * encrypted name, for the app to fill and send (record_auto_answer stores it).
 */
create function private.record_reply_triage(
  p_message_id uuid,
  p_intent text,
  p_confidence real,
  p_date timestamptz,
  p_source text
) returns table (action text, auto_answer text, lead_id uuid, first_name_enc text, last_name_enc text, dealer_name text)
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
    return query select 'none'::text, null::text, null::uuid, null::text, null::text, null::text;
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
    return query select v_action, null::text, null::uuid, null::text, null::text, null::text;
    return;
  end if;
  return query
    select v_action, t.body, l.id, l.first_name_enc, l.last_name_enc, d.name
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

/* Store the automatic answer the app sent in reply to p_message_id (as the HELP answer is stored). */
create function private.record_auto_answer(p_message_id uuid, p_reply_id uuid, p_body_enc text, p_segments integer)
returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
begin
  select m.* into v_message from public.messages m where m.id = p_message_id and m.direction = 'inbound';
  if v_message.id is null or not exists (
    select 1 from public.reply_templates t where t.dealership_id = v_message.dealership_id and t.intent = v_message.intent and t.auto_send
  ) then
    raise exception 'no automatic answer for this message' using errcode = '42501';
  end if;
  insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, auto_reply)
  values (p_reply_id, v_message.dealership_id, v_message.conversation_id, v_message.lead_id, 'outbound', p_body_enc,
          'accepted', p_segments, true);
  update public.conversations c set last_message_at = now() where c.id = v_message.conversation_id;
end
$$;
revoke all on function private.record_auto_answer(uuid, uuid, text, integer) from public, anon, authenticated;
grant execute on function private.record_auto_answer(uuid, uuid, text, integer) to sms_webhook;

-- ---------------------------------------------------------------------------------------------
-- Staff: correct an intent (one click), confirm a proposed appointment.
-- ---------------------------------------------------------------------------------------------

/* The inbound message p_message_id if the current user may work its conversation, else an error. */
create function private.workable_inbound_message(p_message_id uuid)
returns public.messages
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_message public.messages;
begin
  select m.* into v_message from public.messages m where m.id = p_message_id and m.direction = 'inbound';
  if (select auth.uid()) is null or v_message.id is null
     or not private.has_permission(v_message.dealership_id, 'conversations.reply')
     or not (private.has_permission(v_message.dealership_id, 'leads.view_all')
             or v_message.lead_id in (select private.assigned_lead_ids_for_current_user())) then
    raise exception 'message not found' using errcode = '42501';
  end if;
  return v_message;
end
$$;
-- Called only from the definer functions below (as their owner); nobody executes it directly.
revoke all on function private.workable_inbound_message(uuid) from public, anon, authenticated;

/*
 * Set a reply's intent by hand. The correction is stored (a training example), the automatic
 * action of the old intent is undone and that of the new one taken, with source 'staff'.
 */
create function public.correct_reply_intent(p_message_id uuid, p_intent text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
  v_intent public.reply_intent;
begin
  if p_intent is null or p_intent not in (select unnest(enum_range(null::public.reply_intent))::text) then
    raise exception 'unknown intent' using errcode = '22023';
  end if;
  v_intent := p_intent::public.reply_intent;
  v_message := private.workable_inbound_message(p_message_id);
  if v_message.intent is not distinct from v_intent then
    return;
  end if;
  insert into public.triage_corrections (dealership_id, message_id, lead_id, from_intent, to_intent, corrected_by)
  values (v_message.dealership_id, v_message.id, v_message.lead_id, v_message.intent, v_intent, (select auth.uid()));
  if v_message.intent is not null then
    perform private.undo_reply_intent(v_message.id, v_message.intent, (select auth.uid()));
  end if;
  update public.messages m set intent = v_intent, intent_source = 'staff', intent_confidence = 1 where m.id = v_message.id;
  update public.conversations c set last_intent = v_intent
   where c.id = v_message.conversation_id and c.last_intent_at is not distinct from v_message.created_at;
  perform private.apply_reply_intent(v_message.id, v_intent, 'staff', (select auth.uid()));
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_message.dealership_id, (select auth.uid()), 'message.intent_corrected', 'message', v_message.id::text,
          jsonb_build_object('from', v_message.intent::text, 'to', p_intent));
end
$$;
revoke all on function public.correct_reply_intent(uuid, text) from public, anon;
grant execute on function public.correct_reply_intent(uuid, text) to authenticated;

/* Confirm the visit an appointment reply proposed: the lead's appointment and status follow. */
create function public.confirm_proposed_appointment(p_message_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_message public.messages;
begin
  v_message := private.workable_inbound_message(p_message_id);
  if v_message.intent is distinct from 'appointment' or v_message.intent_date is null then
    raise exception 'no proposed appointment' using errcode = 'RL060';
  end if;
  if exists (select 1 from public.leads l where l.id = v_message.lead_id and l.consent_status = 'opted_out') then
    raise exception 'lead has opted out' using errcode = 'RL001';
  end if;
  update public.leads l
     set appointment_at = v_message.intent_date,
         status = case when l.status in ('new', 'engaged', 'lost') then 'appointment_set'::public.lead_status else l.status end
   where l.id = v_message.lead_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_message.dealership_id, (select auth.uid()), 'lead.appointment_confirmed', 'lead', v_message.lead_id::text,
          jsonb_build_object('message_id', v_message.id));
end
$$;
revoke all on function public.confirm_proposed_appointment(uuid) from public, anon;
grant execute on function public.confirm_proposed_appointment(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- triage_exporter: the no-user role of `npm run triage:export-corrections` (the latest
-- correction of each message with its encrypted body, which the command decrypts).
-- ---------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'triage_exporter') then
    create role triage_exporter nologin noinherit;
  end if;
end
$$;
grant triage_exporter to postgres;
grant usage on schema private to triage_exporter;

create function private.export_triage_corrections()
returns table (dealership_id uuid, message_id uuid, body_enc text, intent text, corrected_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select distinct on (t.message_id) t.dealership_id, t.message_id, m.body_enc, t.to_intent::text, t.created_at
  from public.triage_corrections t join public.messages m on m.id = t.message_id
  order by t.message_id, t.created_at desc, t.id desc
$$;
revoke all on function private.export_triage_corrections() from public, anon, authenticated;
grant execute on function private.export_triage_corrections() to triage_exporter;
