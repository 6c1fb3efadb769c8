-- Lead imports: the record of each CSV import, the column mappings saved per file shape, the
-- do-not-contact list and the consent history of every lead. Same rules as the other tables: RLS
-- on from the start, anon gets nothing, authenticated gets the minimum, one policy per action.
-- Importing (and everything import-related) is for owners, admins and managers; reps cannot see
-- every lead, so they could not de-duplicate against them.

-- ---------------------------------------------------------------------------------------------
-- lead_imports: who imported which file when, with which mapping and what came of it. The file
-- name can carry personal data ("jane_smith_leads.csv"), so it is an envelope like the leads'
-- fields (context: table lead_imports, column file_name_enc, row id). Counts and the error text
-- are safe by construction: the app writes only numbers and its own messages there.
-- ---------------------------------------------------------------------------------------------
create type public.lead_import_status as enum ('processing', 'completed', 'failed');

create table public.lead_imports (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  created_by uuid references auth.users (id) on delete set null,
  file_name_enc text check (file_name_enc ~ '^[A-Za-z0-9._-]*$'),
  file_size_bytes bigint not null default 0 check (file_size_bytes >= 0),
  status public.lead_import_status not null default 'processing',
  -- total = imported + updated + duplicate + invalid; suppressed is a subset of imported + updated.
  total_count integer not null default 0 check (total_count >= 0),
  imported_count integer not null default 0 check (imported_count >= 0),
  updated_count integer not null default 0 check (updated_count >= 0),
  duplicate_count integer not null default 0 check (duplicate_count >= 0),
  invalid_count integer not null default 0 check (invalid_count >= 0),
  suppressed_count integer not null default 0 check (suppressed_count >= 0),
  -- Header name -> lead field name. Never cell values.
  mapping jsonb not null default '{}'::jsonb check (jsonb_typeof(mapping) = 'object' and pg_column_size(mapping) <= 16384),
  error text check (char_length(error) <= 500),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  constraint lead_imports_finished_when_done check ((status = 'processing') = (finished_at is null))
);

create index lead_imports_dealership_started_idx on public.lead_imports (dealership_id, started_at desc, id);
create index lead_imports_created_by_idx on public.lead_imports (created_by);

alter table public.lead_imports enable row level security;
revoke all on public.lead_imports from anon, authenticated;
grant select, insert on public.lead_imports to authenticated;
-- Only the outcome changes after the start; who, which file and which dealership never do.
grant update (
  status, total_count, imported_count, updated_count, duplicate_count, invalid_count, suppressed_count, error, finished_at
) on public.lead_imports to authenticated;

create policy lead_imports_select on public.lead_imports for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[])));

create policy lead_imports_insert on public.lead_imports for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and status = 'processing'
    and dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
  );

-- Only the importer finishes their own import.
create policy lead_imports_update on public.lead_imports for update to authenticated
  using (
    created_by = (select auth.uid())
    and dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
  )
  with check (
    created_by = (select auth.uid())
    and dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
  );

-- ---------------------------------------------------------------------------------------------
-- import_mappings: the column mapping last used for a file shape, offered again for the next file
-- with the same headers. shape_fingerprint is a SHA-256 of the normalized, sorted header list.
-- ---------------------------------------------------------------------------------------------
create table public.import_mappings (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  shape_fingerprint text not null check (shape_fingerprint ~ '^[0-9a-f]{64}$'),
  mapping jsonb not null check (jsonb_typeof(mapping) = 'object' and pg_column_size(mapping) <= 16384),
  updated_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint import_mappings_dealership_shape_unique unique (dealership_id, shape_fingerprint)
);

create trigger import_mappings_touch before update on public.import_mappings
  for each row execute function private.touch_updated_at();

alter table public.import_mappings enable row level security;
revoke all on public.import_mappings from anon, authenticated;
grant select, insert, delete on public.import_mappings to authenticated;
grant update (mapping, updated_by) on public.import_mappings to authenticated;

-- The unique constraint's index (dealership_id, shape_fingerprint) serves the policies.
create policy import_mappings_select on public.import_mappings for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[])));

create policy import_mappings_insert on public.import_mappings for insert to authenticated
  with check (
    updated_by = (select auth.uid())
    and dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
  );

create policy import_mappings_update on public.import_mappings for update to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[])))
  with check (
    updated_by = (select auth.uid())
    and dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
  );

create policy import_mappings_delete on public.import_mappings for delete to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[])));

-- ---------------------------------------------------------------------------------------------
-- do_not_contact: numbers the dealership must never text, whether or not they are leads.
-- Matched by the phone blind index; phone_enc (context: table do_not_contact, column phone_enc,
-- row id) lets the list be shown. Any member may add a number (a customer can ask anyone);
-- only owners and admins may take one off.
-- ---------------------------------------------------------------------------------------------
create table public.do_not_contact (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  phone_bidx text not null check (phone_bidx ~ '^[A-Za-z0-9_-]{43}$'),
  phone_enc text check (phone_enc ~ '^[A-Za-z0-9._-]*$'),
  -- e.g. manual, upload, import, sms_stop
  source text not null check (source ~ '^[a-z][a-z_]{0,31}$'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint do_not_contact_dealership_phone_unique unique (dealership_id, phone_bidx)
);

alter table public.do_not_contact enable row level security;
revoke all on public.do_not_contact from anon, authenticated;
grant select, insert, delete on public.do_not_contact to authenticated;

create policy do_not_contact_select on public.do_not_contact for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user()));

create policy do_not_contact_insert on public.do_not_contact for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and dealership_id in (select private.dealership_ids_for_current_user())
  );

create policy do_not_contact_delete on public.do_not_contact for delete to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));

-- ---------------------------------------------------------------------------------------------
-- consent_events: the consent history of each lead. Written only by triggers on leads, so every
-- path (import, edit, STOP/START replies) records its changes and no user can forge or erase one.
-- Statement-level triggers with transition tables: an import of 100,000 leads appends its history
-- in one insert per statement instead of a function call per row. dealership_id is copied from
-- the lead (deleting a dealership deletes its leads, which deletes their history).
-- ---------------------------------------------------------------------------------------------
create table public.consent_events (
  id bigint generated always as identity primary key,
  lead_id uuid not null references public.leads (id) on delete cascade,
  dealership_id uuid not null,
  status public.consent_status not null,
  source text check (char_length(source) <= 64),
  actor_user_id uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);

create index consent_events_lead_created_idx on public.consent_events (lead_id, created_at desc, id desc);
create index consent_events_dealership_idx on public.consent_events (dealership_id);

alter table public.consent_events enable row level security;
revoke all on public.consent_events from anon, authenticated;
grant select on public.consent_events to authenticated;

-- Visible exactly where the lead is: the whole dealership for owners/admins/managers, a rep's own leads.
create policy consent_events_select on public.consent_events for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or lead_id in (select l.id from public.leads l where l.assigned_to = (select auth.uid()))
  );

/* Append the consent of leads inserted with a known consent (statement trigger on leads). */
create function private.record_inserted_consent() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.consent_events (lead_id, dealership_id, status, source, actor_user_id, created_at)
  select n.id, n.dealership_id, n.consent_status, n.consent_source, (select auth.uid()), coalesce(n.consent_updated_at, now())
  from inserted_leads n
  where n.consent_status <> 'unknown';
  return null;
end
$$;

/* Append the consent of leads whose consent changed (statement trigger on leads). */
create function private.record_changed_consent() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.consent_events (lead_id, dealership_id, status, source, actor_user_id, created_at)
  select n.id, n.dealership_id, n.consent_status, n.consent_source, (select auth.uid()), coalesce(n.consent_updated_at, now())
  from new_leads n
  join old_leads o on o.id = n.id
  where o.consent_status is distinct from n.consent_status;
  return null;
end
$$;
revoke all on function private.record_inserted_consent() from public;
revoke all on function private.record_changed_consent() from public;

create trigger leads_consent_inserted after insert on public.leads
  referencing new table as inserted_leads
  for each statement execute function private.record_inserted_consent();
create trigger leads_consent_changed after update on public.leads
  referencing old table as old_leads new table as new_leads
  for each statement execute function private.record_changed_consent();
