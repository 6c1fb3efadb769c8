set lock_timeout = '5s';
set statement_timeout = '60s';

-- One envelope per lead (issue 14). A lead's personal fields (names, phone, e-mail, vehicle, VIN,
-- notes) move from ten per-field envelopes into ONE AES-256-GCM record envelope, leads.pii_enc,
-- bound by its associated data to dealership, table "leads", column "pii_enc" and the lead id
-- (lib/crypto/record-cipher.ts, lib/leads/lead-fields.ts). Blind indexes stay separate columns.
--
-- Existing rows keep their per-field columns until `npm run keys:rotate` converts them (the keys
-- live only in the app's environment, so a migration cannot); the app reads both shapes until it
-- reports nothing left. A row holds one shape or the other, never both, so a reader never has to
-- choose between two versions of a field.

-- ---------------------------------------------------------------------------------------------
-- 1. The column, its shape check, and the one-shape rule.
-- ---------------------------------------------------------------------------------------------
alter table public.leads add column pii_enc text;

-- Both checks hold for every existing row (pii_enc is null in all of them), so they are added
-- NOT VALID: enforced for every insert and update from now on, without scanning the table under
-- this migration's lock.
alter table public.leads add constraint leads_pii_enc_envelope check (
  pii_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$' and char_length(pii_enc) <= 32000
) not valid;
alter table public.leads add constraint leads_pii_one_shape check (
  pii_enc is null or num_nonnulls(first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc, vehicle_make_enc,
    vehicle_model_enc, vehicle_trim_enc, vehicle_vin_enc, notes_enc) = 0
) not valid;

-- Select is granted on the whole table; inserts and updates name their columns.
grant insert (pii_enc), update (pii_enc) on public.leads to authenticated;

-- ---------------------------------------------------------------------------------------------
-- 2. Inbound SMS from an unknown number: the new lead's record envelope (holding its phone) goes
--    to pii_enc. Same body as in 20261130002100_lead_sources.sql but for that column; the
--    parameter is renamed, so the function is re-created and re-granted.
-- ---------------------------------------------------------------------------------------------
drop function private.record_inbound_message(uuid, uuid, text, text, integer, integer, text, uuid, text, text, text, boolean, uuid, text, integer);

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
  p_new_lead_pii_enc text,
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

  -- A new lead's source is the system source "inbound SMS" (an id, never free text).
  insert into public.leads (id, dealership_id, pii_enc, phone_bidx, source_id, last_activity_at)
  select p_new_lead_id, v_dealership, p_new_lead_pii_enc, p_phone_bidx, private.system_lead_source(v_dealership, 'inbound_sms'), now()
  where not exists (select 1 from public.leads l where l.dealership_id = v_dealership and l.phone_bidx = p_phone_bidx)
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
revoke all on function private.record_inbound_message(uuid, uuid, text, text, integer, integer, text, uuid, text, text, text, boolean, uuid, text, integer) from public;
grant execute on function private.record_inbound_message(uuid, uuid, text, text, integer, integer, text, uuid, text, text, text, boolean, uuid, text, integer) to sms_webhook;

-- ---------------------------------------------------------------------------------------------
-- 3. Sending: the lead's phone is inside its record (or, until converted, its phone_enc), so the
--    function returns both and the app decrypts whichever is there. "No phone" is judged by the
--    phone blind index, which every writer sets with the phone. Body as in
--    20261130005100_permission_policies.sql; the result type changes, so re-created and re-granted.
-- ---------------------------------------------------------------------------------------------
drop function public.queue_outbound_message(uuid, uuid, uuid, text, integer);

/* Queue one outbound message to a lead after the last consent and do-not-contact check. */
create function public.queue_outbound_message(
  p_dealership_id uuid,
  p_lead_id uuid,
  p_message_id uuid,
  p_body_enc text,
  p_segments integer
) returns table (conversation_id uuid, lead_pii_enc text, lead_phone_enc text, from_number text, messaging_service_sid text)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead public.leads;
  v_conversation uuid;
  v_number public.sending_numbers;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'conversations.reply') then
    raise exception 'not a member of this dealership' using errcode = '42501';
  end if;
  select l.* into v_lead from public.leads l
   where l.id = p_lead_id and l.dealership_id = p_dealership_id
     and (private.has_permission(p_dealership_id, 'leads.view_all')
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
  if v_lead.phone_bidx is null or (v_lead.pii_enc is null and v_lead.phone_enc is null) then
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

  return query select v_conversation, v_lead.pii_enc, v_lead.phone_enc, v_number.phone_number, v_number.messaging_service_sid;
end
$$;
revoke all on function public.queue_outbound_message(uuid, uuid, uuid, text, integer) from public, anon;
grant execute on function public.queue_outbound_message(uuid, uuid, uuid, text, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- 4. A record that would not decrypt is reported as column pii_enc (one event per stored value,
--    as for the per-field columns). Body as in 20261130005100_permission_policies.sql.
-- ---------------------------------------------------------------------------------------------

/* Record (once per stored value) that a lead's record or field could not be decrypted; true when new. */
create or replace function public.report_lead_decrypt_failure(p_lead_id uuid, p_column text, p_reason text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead public.leads;
  v_value text;
  v_fingerprint text;
begin
  if (select auth.uid()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if p_column is null or p_column not in ('pii_enc', 'first_name_enc', 'last_name_enc', 'phone_enc', 'email_enc',
      'vehicle_year_enc', 'vehicle_make_enc', 'vehicle_model_enc', 'vehicle_trim_enc', 'vehicle_vin_enc', 'notes_enc') then
    raise exception 'not an encrypted column' using errcode = '22023';
  end if;
  if p_reason is null or p_reason not in ('malformed', 'unknown_key', 'authentication_failed') then
    raise exception 'unknown reason' using errcode = '22023';
  end if;
  select l.* into v_lead from public.leads l where l.id = p_lead_id;
  if v_lead.id is null
     or not (private.has_permission(v_lead.dealership_id, 'leads.view_all')
             or (coalesce(v_lead.assigned_to = (select auth.uid()), false) and private.has_role_on_dealership(v_lead.dealership_id))) then
    raise exception 'lead not found' using errcode = '42501';
  end if;
  v_value := to_jsonb(v_lead) ->> p_column;
  if v_value is null then
    return false;
  end if;
  v_fingerprint := left(encode(sha256(convert_to(v_value, 'UTF8')), 'hex'), 16);
  if exists (
    select 1 from public.audit_events a
    where a.dealership_id = v_lead.dealership_id and a.target_type = 'lead' and a.target_id = p_lead_id::text
      and a.action = 'lead.decrypt_failed' and a.metadata ->> 'column' = p_column and a.metadata ->> 'fingerprint' = v_fingerprint
  ) then
    return false;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_lead.dealership_id, (select auth.uid()), 'lead.decrypt_failed', 'lead', p_lead_id::text,
          jsonb_build_object('column', p_column, 'reason', p_reason, 'fingerprint', v_fingerprint));
  return true;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- 5. The audit of lead edits names the changed fields. Inside one envelope the database cannot
--    see which field changed: a new record is "details", plus phone / email / name when their
--    blind index changed. Legacy rows are compared column by column as before. Body as in
--    20261130002300_audit_by_operation.sql.
-- ---------------------------------------------------------------------------------------------

/* AFTER UPDATE (statement) on leads: one lead.updated / lead.assigned event per changed lead. */
create or replace function private.audit_lead_changes() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select n.dealership_id, (select auth.uid()), 'lead.updated', 'lead', n.id::text,
         jsonb_strip_nulls(jsonb_build_object(
           'fields', f.fields,
           'status', case when n.status is distinct from o.status then n.status::text end,
           'consent', case when n.consent_status is distinct from o.consent_status then n.consent_status::text end))
  from new_leads n
  join old_leads o on o.id = n.id
  cross join lateral (
    select n.pii_enc is distinct from o.pii_enc as record_changed
  ) r
  cross join lateral (
    select string_agg(c.name, ',' order by c.ord) as fields
    from (values
      (0, 'details', r.record_changed),
      (1, 'name', r.record_changed and n.full_name_bidx is distinct from o.full_name_bidx),
      (2, 'firstName', not r.record_changed and n.first_name_enc is distinct from o.first_name_enc),
      (3, 'lastName', not r.record_changed and n.last_name_enc is distinct from o.last_name_enc),
      (4, 'phone', case when r.record_changed then n.phone_bidx is distinct from o.phone_bidx
                        else n.phone_enc is distinct from o.phone_enc end),
      (5, 'email', case when r.record_changed then n.email_bidx is distinct from o.email_bidx
                        else n.email_enc is distinct from o.email_enc end),
      (6, 'vehicleYear', not r.record_changed and n.vehicle_year_enc is distinct from o.vehicle_year_enc),
      (7, 'vehicleMake', not r.record_changed and n.vehicle_make_enc is distinct from o.vehicle_make_enc),
      (8, 'vehicleModel', not r.record_changed and n.vehicle_model_enc is distinct from o.vehicle_model_enc),
      (9, 'vehicleTrim', not r.record_changed and n.vehicle_trim_enc is distinct from o.vehicle_trim_enc),
      (10, 'vehicleVin', not r.record_changed and n.vehicle_vin_enc is distinct from o.vehicle_vin_enc),
      (11, 'notes', not r.record_changed and n.notes_enc is distinct from o.notes_enc),
      (12, 'status', n.status is distinct from o.status),
      (13, 'consentStatus', n.consent_status is distinct from o.consent_status),
      (14, 'source', n.source_id is distinct from o.source_id)
    ) as c (ord, name, changed)
    where c.changed
  ) f
  where f.fields is not null;

  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select n.dealership_id, (select auth.uid()), 'lead.assigned', 'lead', n.id::text, jsonb_build_object('assignee', n.assigned_to)
  from new_leads n
  join old_leads o on o.id = n.id
  where n.assigned_to is distinct from o.assigned_to;
  return null;
end
$$;
