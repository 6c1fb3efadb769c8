set lock_timeout = '5s';
set statement_timeout = '60s';

-- Smaller database findings (issue 8, finding 12).
--
-- 1. Audit rows are written only by the operations they describe. public.record_audit_event let
--    any member append any action name (a forged trail); it is closed, and each legitimate caller
--    now writes its row inside the database operation itself: triggers on leads, do_not_contact,
--    sending_numbers and lead_imports, and definer functions for what is not a row change (the
--    dealership switch, the re-consent, the decrypt-failure report, the import-lease sweep).
--    Triggers record changes made for a signed-in user (auth.uid() set); the paths with no user
--    (the sms_webhook functions, platform jobs) write their own specific events (lead.opted_out...).
-- 2. The API roles held USAGE/UPDATE on the identity sequences (Supabase's default privileges), so
--    `setval` worked. Revoked, for existing and future sequences.
-- 3. public.record_outbound_result re-checks membership: a user who left the dealership can no
--    longer record results (or an opt-out) on messages they sent while a member.

-- ---------------------------------------------------------------------------------------------
-- 1a. The generic appender: nobody may call it any more (kept, without grants, so that an
--     older app version fails with a permission error instead of a missing function).
-- ---------------------------------------------------------------------------------------------
revoke all on function public.record_audit_event(uuid, text, text, text, jsonb) from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- 1b. leads: what changed (field names only, never values) and assignments.
-- ---------------------------------------------------------------------------------------------

/* AFTER UPDATE (statement) on leads: one lead.updated / lead.assigned event per changed lead. */
create function private.audit_lead_changes() returns trigger
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
    select string_agg(c.name, ',' order by c.ord) as fields
    from (values
      (1, 'firstName', n.first_name_enc is distinct from o.first_name_enc),
      (2, 'lastName', n.last_name_enc is distinct from o.last_name_enc),
      (3, 'phone', n.phone_enc is distinct from o.phone_enc),
      (4, 'email', n.email_enc is distinct from o.email_enc),
      (5, 'vehicleYear', n.vehicle_year_enc is distinct from o.vehicle_year_enc),
      (6, 'vehicleMake', n.vehicle_make_enc is distinct from o.vehicle_make_enc),
      (7, 'vehicleModel', n.vehicle_model_enc is distinct from o.vehicle_model_enc),
      (8, 'vehicleTrim', n.vehicle_trim_enc is distinct from o.vehicle_trim_enc),
      (9, 'vehicleVin', n.vehicle_vin_enc is distinct from o.vehicle_vin_enc),
      (10, 'notes', n.notes_enc is distinct from o.notes_enc),
      (11, 'status', n.status is distinct from o.status),
      (12, 'consentStatus', n.consent_status is distinct from o.consent_status),
      (13, 'source', n.source_id is distinct from o.source_id)
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
revoke all on function private.audit_lead_changes() from public;
create trigger leads_audit_changes after update on public.leads
  referencing old table as old_leads new table as new_leads
  for each statement execute function private.audit_lead_changes();

-- ---------------------------------------------------------------------------------------------
-- 1c. do_not_contact: additions per statement (a pasted list is one event), removals per number.
-- ---------------------------------------------------------------------------------------------

/* AFTER INSERT (statement) on do_not_contact: one do_not_contact.added per dealership and source. */
create function private.audit_do_not_contact_added() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, metadata)
  select n.dealership_id, (select auth.uid()), 'do_not_contact.added', jsonb_build_object('added', count(*), 'source', n.source)
  from added_numbers n
  group by n.dealership_id, n.source;
  return null;
end
$$;

/* AFTER DELETE (row) on do_not_contact: do_not_contact.removed. */
create function private.audit_do_not_contact_removed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- A deleted dealership takes its list with it; there is nobody left to tell.
  if (select auth.uid()) is null or not exists (select 1 from public.dealerships d where d.id = old.dealership_id) then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id)
  values (old.dealership_id, (select auth.uid()), 'do_not_contact.removed', 'do_not_contact', old.id::text);
  return null;
end
$$;
revoke all on function private.audit_do_not_contact_added() from public;
revoke all on function private.audit_do_not_contact_removed() from public;
create trigger do_not_contact_audit_added after insert on public.do_not_contact
  referencing new table as added_numbers
  for each statement execute function private.audit_do_not_contact_added();
create trigger do_not_contact_audit_removed after delete on public.do_not_contact
  for each row execute function private.audit_do_not_contact_removed();

-- ---------------------------------------------------------------------------------------------
-- 1d. sending_numbers: added and removed.
-- ---------------------------------------------------------------------------------------------

/* AFTER INSERT OR DELETE (row) on sending_numbers: sending_number.added / .removed. */
create function private.audit_sending_number() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.sending_numbers;
begin
  if tg_op = 'DELETE' then
    v_row := old;
  else
    v_row := new;
  end if;
  if (select auth.uid()) is null or not exists (select 1 from public.dealerships d where d.id = v_row.dealership_id) then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id)
  values (v_row.dealership_id, (select auth.uid()),
          case when tg_op = 'DELETE' then 'sending_number.removed' else 'sending_number.added' end,
          'sending_number', v_row.id::text);
  return null;
end
$$;
revoke all on function private.audit_sending_number() from public;
create trigger sending_numbers_audit after insert or delete on public.sending_numbers
  for each row execute function private.audit_sending_number();

-- ---------------------------------------------------------------------------------------------
-- 1e. lead_imports: the outcome of an import. failure_code is the app's error code (never text
--     from the file), kept with the record so the audit event can name it.
-- ---------------------------------------------------------------------------------------------
alter table public.lead_imports add column failure_code text check (failure_code ~ '^[a-z][a-z_]{0,39}$');
grant update (failure_code) on public.lead_imports to authenticated;

/* AFTER UPDATE OF status (row) on lead_imports: leads.imported / leads.import_failed. */
create function private.audit_lead_import_outcome() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or old.status <> 'processing' or new.status = 'processing' then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (new.dealership_id, (select auth.uid()),
          case when new.status = 'completed' then 'leads.imported' else 'leads.import_failed' end,
          'lead_import', new.id::text,
          case when new.status = 'completed' then jsonb_build_object(
                 'total', new.total_count, 'imported', new.imported_count, 'updated', new.updated_count,
                 'duplicates', new.duplicate_count, 'invalid', new.invalid_count, 'suppressed', new.suppressed_count)
               else jsonb_build_object('code', coalesce(new.failure_code, 'internal')) end);
  return null;
end
$$;
revoke all on function private.audit_lead_import_outcome() from public;
create trigger lead_imports_audit_outcome after update of status on public.lead_imports
  for each row execute function private.audit_lead_import_outcome();

-- ---------------------------------------------------------------------------------------------
-- 1f. The dealership switch is not a row change: a function that checks both memberships.
-- ---------------------------------------------------------------------------------------------

/* Record that the current user switched from p_from (a dealership of theirs, or null) to p_to. */
create function public.record_dealership_switch(p_to uuid, p_from uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_role_on_dealership(p_to)
     or (p_from is not null and not private.has_role_on_dealership(p_from)) then
    raise exception 'not a member of this dealership' using errcode = '42501';
  end if;
  if p_from is not distinct from p_to then
    return;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_to, (select auth.uid()), 'dealership.switched', 'dealership', p_to::text, jsonb_build_object('from', p_from));
end
$$;
revoke all on function public.record_dealership_switch(uuid, uuid) from public, anon;
grant execute on function public.record_dealership_switch(uuid, uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- 2. Sequences: the API roles need none (identity columns do not check sequence privileges).
-- ---------------------------------------------------------------------------------------------
do $$
declare
  s record;
begin
  for s in
    select c.oid::regclass as seq from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'S' and n.nspname in ('public', 'private')
  loop
    execute format('revoke all on sequence %s from public, anon, authenticated', s.seq);
  end loop;
end
$$;
alter default privileges in schema public revoke all on sequences from anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- 3. record_outbound_result: the sender, their own message, and still a member of its dealership.
-- ---------------------------------------------------------------------------------------------

/* Record Twilio's answer to the create call for the caller's own message; returns the status. */
create or replace function public.record_outbound_result(
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
     and private.has_role_on_dealership(m.dealership_id)
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
