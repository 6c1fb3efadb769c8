-- Policies by permission: every policy that spelled out a role array now asks the permission map
-- (private.role_permissions via private.dealership_ids_with_permission). Same rules as before;
-- the landed migrations stay as they were, this one replaces their policies by name.
set lock_timeout = '5s';
set statement_timeout = '60s';

-- ---------------------------------------------------------------------------------------------
-- dealerships
-- ---------------------------------------------------------------------------------------------
drop policy dealerships_update on public.dealerships;
create policy dealerships_update on public.dealerships for update to authenticated
  using (id in (select private.dealership_ids_with_permission('dealership.settings')))
  with check (id in (select private.dealership_ids_with_permission('dealership.settings')));

-- ---------------------------------------------------------------------------------------------
-- leads: the whole dealership with leads.view_all; otherwise only the leads assigned to you.
-- ---------------------------------------------------------------------------------------------
drop policy leads_select on public.leads;
drop policy leads_insert on public.leads;
drop policy leads_update on public.leads;
drop policy leads_delete on public.leads;
create policy leads_select on public.leads for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );
create policy leads_insert on public.leads for insert to authenticated
  with check (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );
create policy leads_update on public.leads for update to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  )
  with check (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );
create policy leads_delete on public.leads for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('leads.delete')));

-- ---------------------------------------------------------------------------------------------
-- audit_events
-- ---------------------------------------------------------------------------------------------
drop policy audit_events_select on public.audit_events;
create policy audit_events_select on public.audit_events for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('audit.view')));

-- ---------------------------------------------------------------------------------------------
-- lead_imports and import_mappings: leads.import
-- ---------------------------------------------------------------------------------------------
drop policy lead_imports_select on public.lead_imports;
drop policy lead_imports_insert on public.lead_imports;
drop policy lead_imports_update on public.lead_imports;
create policy lead_imports_select on public.lead_imports for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('leads.import')));
create policy lead_imports_insert on public.lead_imports for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and status = 'processing'
    and dealership_id in (select private.dealership_ids_with_permission('leads.import'))
  );
create policy lead_imports_update on public.lead_imports for update to authenticated
  using (created_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('leads.import')))
  with check (created_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('leads.import')));

drop policy import_mappings_select on public.import_mappings;
drop policy import_mappings_insert on public.import_mappings;
drop policy import_mappings_update on public.import_mappings;
drop policy import_mappings_delete on public.import_mappings;
create policy import_mappings_select on public.import_mappings for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('leads.import')));
create policy import_mappings_insert on public.import_mappings for insert to authenticated
  with check (updated_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('leads.import')));
create policy import_mappings_update on public.import_mappings for update to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('leads.import')))
  with check (updated_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('leads.import')));
create policy import_mappings_delete on public.import_mappings for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('leads.import')));

-- ---------------------------------------------------------------------------------------------
-- do_not_contact
-- ---------------------------------------------------------------------------------------------
drop policy do_not_contact_insert on public.do_not_contact;
drop policy do_not_contact_delete on public.do_not_contact;
create policy do_not_contact_insert on public.do_not_contact for insert to authenticated
  with check (created_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('do_not_contact.add')));
create policy do_not_contact_delete on public.do_not_contact for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('do_not_contact.remove')));

-- ---------------------------------------------------------------------------------------------
-- consent_events, conversations, messages: visible where the lead is.
-- ---------------------------------------------------------------------------------------------
drop policy consent_events_select on public.consent_events;
create policy consent_events_select on public.consent_events for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );

drop policy conversations_select on public.conversations;
create policy conversations_select on public.conversations for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );

drop policy messages_select on public.messages;
create policy messages_select on public.messages for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_with_permission('leads.view_all'))
    or lead_id in (select private.assigned_lead_ids_for_current_user())
  );

-- ---------------------------------------------------------------------------------------------
-- sending_numbers
-- ---------------------------------------------------------------------------------------------
drop policy sending_numbers_update on public.sending_numbers;
drop policy sending_numbers_delete on public.sending_numbers;
create policy sending_numbers_update on public.sending_numbers for update to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')))
  with check (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')));
create policy sending_numbers_delete on public.sending_numbers for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')));

-- ---------------------------------------------------------------------------------------------
-- lead_sources: importers add labels.
-- ---------------------------------------------------------------------------------------------
drop policy lead_sources_insert on public.lead_sources;
create policy lead_sources_insert on public.lead_sources for insert to authenticated
  with check (dealership_id in (select private.dealership_ids_with_permission('leads.import')));

-- =============================================================================================
-- Definer functions that checked a role array: the same bodies, asking the permission map.
-- (Signatures unchanged, so their grants stay.)
-- =============================================================================================

-- from 20261123001020_messaging_user_functions.sql, role array replaced by leads.view_all
create or replace function public.queue_outbound_message(
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

-- from 20261123001020_messaging_user_functions.sql, role array replaced by leads.view_all
create or replace function public.mark_conversation_read(p_conversation_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_conversation public.conversations;
begin
  select c.* into v_conversation from public.conversations c where c.id = p_conversation_id;
  if v_conversation.id is null
     or not (
       private.has_permission(v_conversation.dealership_id, 'leads.view_all')
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

-- from 20261130002000_lead_consent_rule.sql, role array replaced by leads.reconsent
create or replace function public.reconsent_lead(p_lead_id uuid, p_reason text, p_source text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead public.leads;
begin
  if (select auth.uid()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if p_reason is null or p_reason not in ('customer_asked', 'opt_out_in_error', 'new_written_consent') then
    raise exception 'unknown re-consent reason' using errcode = '22023';
  end if;
  if p_source is null or p_source not in ('in_person', 'phone_call', 'signed_form', 'email', 'website') then
    raise exception 'unknown re-consent source' using errcode = '22023';
  end if;
  select l.* into v_lead from public.leads l where l.id = p_lead_id for update;
  if v_lead.id is null
     or not private.has_permission(v_lead.dealership_id, 'leads.reconsent') then
    raise exception 'lead not found' using errcode = '42501';
  end if;
  if v_lead.consent_status <> 'opted_out' then
    raise exception 'This lead has not opted out.' using errcode = 'RL011';
  end if;
  update public.leads
     set consent_status = 'opted_in', consent_source = 'staff re-consent (' || p_source || ')', consent_updated_at = now()
   where id = p_lead_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_lead.dealership_id, (select auth.uid()), 'lead.reconsented', 'lead', p_lead_id::text,
          jsonb_build_object('reason', p_reason, 'source', p_source));
end
$$;

-- from 20261130002200_ciphertext_shape.sql, role array replaced by leads.view_all
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
  if p_column is null or p_column not in ('first_name_enc', 'last_name_enc', 'phone_enc', 'email_enc', 'vehicle_year_enc',
      'vehicle_make_enc', 'vehicle_model_enc', 'vehicle_trim_enc', 'vehicle_vin_enc', 'notes_enc') then
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

-- from 20261130002400_lead_import_lease.sql, role array replaced by leads.import
create or replace function public.expire_stale_lead_imports(p_dealership_id uuid) returns integer
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_count integer;
begin
  if (select auth.uid()) is null
     or not private.has_permission(p_dealership_id, 'leads.import') then
    raise exception 'not allowed to import into this dealership' using errcode = '42501';
  end if;
  with expired as (
    update public.lead_imports i
       set status = 'failed', finished_at = now(), failure_code = 'lease_expired',
           error = 'The import stopped unexpectedly; nothing was saved. Please try again.',
           imported_count = 0, updated_count = 0, duplicate_count = 0, invalid_count = 0, suppressed_count = 0
     where i.dealership_id = p_dealership_id and i.status = 'processing'
       -- The lease: the app refreshes it every 5 seconds; a minute of silence means the process is gone.
       and i.heartbeat_at < now() - interval '60 seconds'
    returning 1
  )
  select count(*)::integer into v_count from expired;
  return v_count;
end
$$;

-- from 20261130003100_sending_number_ownership.sql, role array replaced by sending_numbers.manage
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
