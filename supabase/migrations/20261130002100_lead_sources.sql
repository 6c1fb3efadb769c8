set lock_timeout = '5s';
set statement_timeout = '60s';

-- Lead sources as a per-dealership list with opaque ids (issue 8, finding 9).
--
-- A CRM export's "Lead Source" column is free text (one test file held a name, a phone and an
-- e-mail in it), so it is never stored in plaintext nor put in a URL: each distinct label becomes
-- a lead_sources row holding the label as an envelope (context: table lead_sources, column
-- label_enc, row id) and a dealership-scoped blind index of its normalized form (so "Web" and
-- " web" are one source); leads point at it with source_id, and the leads filter puts only that
-- id in the URL. Sources the product itself names ("inbound SMS") are system sources: a fixed
-- code, no personal data, so a SECURITY DEFINER function can create them without a key.
--
-- Existing rows: a migration cannot encrypt (the keys live only in the app's environment), so the
-- old leads.source values move to private.legacy_lead_sources (no API role can read or write it)
-- and the column is dropped; `npm run keys:rotate` (lib/leads/legacy-lead-sources.ts) encrypts
-- them into lead_sources, points the leads at them and deletes the plaintext. Until it has run,
-- those leads show no source. A later migration drops the table once it is empty everywhere.

create table public.lead_sources (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  label_enc text check (label_enc ~ '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$' and char_length(label_enc) <= 1000),
  label_bidx text check (label_bidx ~ '^[A-Za-z0-9_-]{43}$'),
  system_key text check (system_key in ('inbound_sms')),
  created_at timestamptz not null default now(),
  -- Either a label from a file (encrypted, indexed) or a system source, never both.
  constraint lead_sources_label_or_system check (
    (system_key is null and label_enc is not null and label_bidx is not null)
    or (system_key is not null and label_enc is null and label_bidx is null)
  ),
  constraint lead_sources_dealership_label_unique unique (dealership_id, label_bidx),
  constraint lead_sources_dealership_system_unique unique (dealership_id, system_key),
  -- The target of leads' (dealership_id, source_id): a lead cannot point at another tenant's source.
  constraint lead_sources_dealership_id_unique unique (dealership_id, id)
);

alter table public.lead_sources enable row level security;
revoke all on public.lead_sources from anon, authenticated;
-- Labels never change (key rotation runs as the owner); importers add new ones.
grant select, insert (id, dealership_id, label_enc, label_bidx) on public.lead_sources to authenticated;

-- Every member sees the dealership's sources (the list filter); the unique indexes serve the policies.
create policy lead_sources_select on public.lead_sources for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user()));
create policy lead_sources_insert on public.lead_sources for insert to authenticated
  with check (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[])));

-- ---------------------------------------------------------------------------------------------
-- leads.source_id, and the old free-text column closed.
-- ---------------------------------------------------------------------------------------------
alter table public.leads add column source_id uuid;
alter table public.leads add constraint leads_source_same_dealership foreign key (dealership_id, source_id)
  references public.lead_sources (dealership_id, id) on delete set null (source_id);
create index leads_dealership_source_idx on public.leads (dealership_id, source_id) where source_id is not null;

-- The plaintext sources of existing leads move to a private table no API role can read or write
-- (RLS on, no grants); the rotation job encrypts them into lead_sources and deletes them there.
create table private.legacy_lead_sources (
  lead_id uuid primary key references public.leads (id) on delete cascade,
  dealership_id uuid not null,
  label text not null
);
alter table private.legacy_lead_sources enable row level security;
revoke all on private.legacy_lead_sources from public, anon, authenticated;
insert into private.legacy_lead_sources (lead_id, dealership_id, label)
select id, dealership_id, source from public.leads where source is not null;
alter table public.leads drop column source;

-- Inserts name their columns: version is the database's to count.
revoke insert, update on public.leads from authenticated;
grant insert (
  id, dealership_id, first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc, vehicle_make_enc,
  vehicle_model_enc, vehicle_trim_enc, vehicle_vin_enc, notes_enc, phone_bidx, email_bidx, full_name_bidx, status,
  consent_status, consent_source, consent_updated_at, source_id, assigned_to, last_activity_at
) on public.leads to authenticated;
grant update (
  first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc, vehicle_make_enc, vehicle_model_enc,
  vehicle_trim_enc, vehicle_vin_enc, notes_enc, phone_bidx, email_bidx, full_name_bidx, status, consent_status,
  consent_source, consent_updated_at, source_id, assigned_to, last_activity_at
) on public.leads to authenticated;

-- ---------------------------------------------------------------------------------------------
-- A system source, created on first use by the definer functions that need it.
-- ---------------------------------------------------------------------------------------------

/* The id of the dealership's system source p_key (created when missing). Definer-only helper. */
create function private.system_lead_source(p_dealership_id uuid, p_key text) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
begin
  select s.id into v_id from public.lead_sources s where s.dealership_id = p_dealership_id and s.system_key = p_key;
  if v_id is null then
    insert into public.lead_sources (dealership_id, system_key) values (p_dealership_id, p_key)
    on conflict (dealership_id, system_key) do nothing
    returning id into v_id;
    if v_id is null then
      select s.id into v_id from public.lead_sources s where s.dealership_id = p_dealership_id and s.system_key = p_key;
    end if;
  end if;
  return v_id;
end
$$;
revoke all on function private.system_lead_source(uuid, text) from public;

-- ---------------------------------------------------------------------------------------------
-- Inbound SMS: unchanged but for the new lead's source (the function's grants stay as they are).
-- ---------------------------------------------------------------------------------------------

/* Store one inbound SMS; a retried MessageSid returns the stored message with duplicate = true. */
create or replace function private.record_inbound_message(
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

  -- A new lead's source is the system source "inbound SMS" (an id, never free text).
  insert into public.leads (id, dealership_id, phone_enc, phone_bidx, source_id, last_activity_at)
  select p_new_lead_id, v_dealership, p_new_lead_phone_enc, p_phone_bidx, private.system_lead_source(v_dealership, 'inbound_sms'), now()
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
