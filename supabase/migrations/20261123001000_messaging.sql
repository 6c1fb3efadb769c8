-- Messaging: the dealerships' sending numbers, one conversation per lead, its messages (bodies
-- are AES-256-GCM envelopes written by the app, context table "messages", column "body_enc",
-- row id = the message id), and the status rule that keeps a delivered message delivered.
-- Consent changes are recorded by the consent_events trigger on leads (000500); the functions
-- here only change leads.consent_* and add an audit event naming the source.
--
-- Webhooks have no user. They get a NOLOGIN role, sms_webhook, that can do nothing but execute
-- three SECURITY DEFINER functions (see the end of this file); the app switches to it with
-- `set local role sms_webhook` inside a transaction (lib/sms/webhook-db.ts).

create type public.message_direction as enum ('inbound', 'outbound');
-- Twilio's message statuses plus 'pending' (stored, not yet handed to Twilio).
create type public.message_status as enum (
  'pending', 'accepted', 'scheduled', 'queued', 'sending', 'sent',
  'delivered', 'undelivered', 'failed', 'canceled', 'received'
);

-- ---------------------------------------------------------------------------------------------
-- sending_numbers: a Twilio number (E.164) or a Messaging Service (its pool answers for it).
-- A business number, not personal data, so stored in clear; unique across the deployment because
-- inbound messages are routed to a dealership by it.
-- ---------------------------------------------------------------------------------------------
create table public.sending_numbers (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  phone_number text unique check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  messaging_service_sid text unique check (messaging_service_sid ~ '^MG[0-9a-f]{32}$'),
  label text check (char_length(label) <= 60),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sending_numbers_one_address check (num_nonnulls(phone_number, messaging_service_sid) = 1)
);
create index sending_numbers_dealership_idx on public.sending_numbers (dealership_id, created_at);
create trigger sending_numbers_touch before update on public.sending_numbers
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- conversations: one per lead; replies go out from the number the lead last wrote to.
-- ---------------------------------------------------------------------------------------------
create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  lead_id uuid not null unique references public.leads (id) on delete cascade,
  sending_number_id uuid references public.sending_numbers (id) on delete set null,
  last_message_at timestamptz,
  last_inbound_at timestamptz,
  unread_count integer not null default 0 check (unread_count >= 0),
  -- A reply a human should look at (e.g. "please stop texting me", which is not a keyword).
  needs_attention boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_dealership_inbox_idx on public.conversations (dealership_id, last_message_at desc nulls last, id);
create index conversations_sending_number_idx on public.conversations (sending_number_id);
create trigger conversations_touch before update on public.conversations
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- messages. id is chosen by the app before the insert because the body's ciphertext is bound to it.
-- ---------------------------------------------------------------------------------------------
create table public.messages (
  id uuid primary key,
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  lead_id uuid not null references public.leads (id) on delete cascade,
  direction public.message_direction not null,
  body_enc text not null check (body_enc ~ '^[A-Za-z0-9._-]+$' and char_length(body_enc) <= 12000),
  twilio_sid text unique check (twilio_sid ~ '^(SM|MM)[0-9a-f]{32}$'),
  status public.message_status not null,
  status_updated_at timestamptz not null default now(),
  error_code integer check (error_code between 0 and 99999),
  segments smallint check (segments between 0 and 100),
  num_media smallint not null default 0 check (num_media between 0 and 10),
  sent_by uuid references auth.users (id) on delete set null,
  -- The HELP answer the app sent on its own.
  auto_reply boolean not null default false,
  needs_review boolean not null default false,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  constraint messages_direction_status check ((direction = 'inbound') = (status = 'received'))
);
create index messages_conversation_created_idx on public.messages (conversation_id, created_at, id);
create index messages_dealership_created_idx on public.messages (dealership_id, created_at desc);
create index messages_lead_idx on public.messages (lead_id);
create index messages_sent_by_idx on public.messages (sent_by) where sent_by is not null;

-- ---------------------------------------------------------------------------------------------
-- The status rule, for every writer: a terminal status (delivered, undelivered, failed, canceled,
-- received) never changes, and a non-terminal one only moves forward. Status callbacks arrive in
-- any order (a late "sent" after "delivered"), so a regression is ignored rather than an error.
-- ---------------------------------------------------------------------------------------------
create function private.guard_message_status() returns trigger
language plpgsql set search_path = ''
as $$
declare
  -- Inline rather than a helper function: the trigger runs as whoever updates the row.
  v_old integer := case old.status when 'pending' then 0 when 'accepted' then 1 when 'scheduled' then 2
    when 'queued' then 3 when 'sending' then 4 when 'sent' then 5 else 9 end;
  v_new integer := case new.status when 'pending' then 0 when 'accepted' then 1 when 'scheduled' then 2
    when 'queued' then 3 when 'sending' then 4 when 'sent' then 5 else 9 end;
begin
  if v_old = 9 or v_new < v_old then
    new.status := old.status;
    new.error_code := old.error_code;
    new.status_updated_at := old.status_updated_at;
  elsif new.status <> old.status then
    new.status_updated_at := now();
  end if;
  return new;
end
$$;
-- Explicit: a per-schema "alter default privileges … revoke … from public" cannot take away the
-- global default EXECUTE for PUBLIC, so every function here is revoked by name.
revoke all on function private.guard_message_status() from public;
create trigger messages_status_guard before update on public.messages
  for each row execute function private.guard_message_status();

-- ---------------------------------------------------------------------------------------------
-- Visibility: owners, admins and managers see the dealership's conversations; reps see those of
-- the leads assigned to them (the same rule as leads).
-- ---------------------------------------------------------------------------------------------

/* Ids of the leads assigned to the current user, in dealerships they belong to. */
create function private.assigned_lead_ids_for_current_user()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  -- dealership first so leads_dealership_assigned_idx (dealership_id, assigned_to) serves it.
  select l.id from public.leads l
  where l.dealership_id in (select private.dealership_ids_for_current_user())
    and l.assigned_to = (select auth.uid())
$$;
revoke all on function private.assigned_lead_ids_for_current_user() from public;
grant execute on function private.assigned_lead_ids_for_current_user() to authenticated;

alter table public.sending_numbers enable row level security;
alter table public.conversations enable row level security;
alter table public.messages enable row level security;
revoke all on public.sending_numbers from anon, authenticated;
revoke all on public.conversations from anon, authenticated;
revoke all on public.messages from anon, authenticated;

-- Numbers: every member reads them (to know what a reply goes out from); owners and admins manage.
grant select, insert (dealership_id, phone_number, messaging_service_sid, label), update (label), delete
  on public.sending_numbers to authenticated;
create policy sending_numbers_select on public.sending_numbers for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user()));
create policy sending_numbers_insert on public.sending_numbers for insert to authenticated
  with check (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));
create policy sending_numbers_update on public.sending_numbers for update to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])))
  with check (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));
create policy sending_numbers_delete on public.sending_numbers for delete to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));

-- Conversations and messages are read-only to users; writes go through the functions below.
grant select on public.conversations, public.messages to authenticated;
create policy conversations_select on public.conversations for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );
create policy messages_select on public.messages for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );

-- ---------------------------------------------------------------------------------------------
-- Consent changes made by messaging (no grants: only the definer functions below call them).
-- The consent_events trigger on leads records the history; the audit log gets the source.
-- ---------------------------------------------------------------------------------------------

/* Opt the lead out (lead status too); true when it changed. */
create function private.opt_out_lead(p_lead_id uuid, p_source text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_dealership uuid;
begin
  update public.leads
     set consent_status = 'opted_out', consent_source = p_source, consent_updated_at = now(), status = 'opted_out'
   where id = p_lead_id and consent_status <> 'opted_out'
  returning dealership_id into v_dealership;
  if v_dealership is null then
    return false;
  end if;
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  values (v_dealership, 'lead.opted_out', 'lead', p_lead_id::text, jsonb_build_object('source', p_source));
  return true;
end
$$;

/* Opt the lead back in (an opted-out lead becomes engaged again); true when it changed. */
create function private.opt_in_lead(p_lead_id uuid, p_source text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_dealership uuid;
begin
  update public.leads
     set consent_status = 'opted_in', consent_source = p_source, consent_updated_at = now(),
         status = case when status = 'opted_out' then 'engaged'::public.lead_status else status end
   where id = p_lead_id and consent_status <> 'opted_in'
  returning dealership_id into v_dealership;
  if v_dealership is null then
    return false;
  end if;
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  values (v_dealership, 'lead.opted_in', 'lead', p_lead_id::text, jsonb_build_object('source', p_source));
  return true;
end
$$;
revoke all on function private.opt_out_lead(uuid, text) from public;
revoke all on function private.opt_in_lead(uuid, text) from public;
