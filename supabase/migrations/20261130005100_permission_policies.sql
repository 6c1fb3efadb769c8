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
drop policy sending_numbers_insert on public.sending_numbers;
drop policy sending_numbers_update on public.sending_numbers;
drop policy sending_numbers_delete on public.sending_numbers;
create policy sending_numbers_insert on public.sending_numbers for insert to authenticated
  with check (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')));
create policy sending_numbers_update on public.sending_numbers for update to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')))
  with check (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')));
create policy sending_numbers_delete on public.sending_numbers for delete to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('sending_numbers.manage')));
