-- Leads: the dealership's contacts. Every personal field is an AES-256-GCM envelope written by the
-- application (lib/crypto); *_bidx columns are dealership-scoped HMAC blind indexes for exact
-- matching (de-duplication, reply routing, suppression) without storing the value.

create type public.lead_status as enum ('new', 'engaged', 'appointment_set', 'sold', 'lost', 'opted_out');
create type public.consent_status as enum ('unknown', 'opted_in', 'opted_out');

create table public.leads (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,

  -- Encrypted personal data (envelopes "v1.<key id>.<iv>.<ciphertext+tag>").
  first_name_enc text,
  last_name_enc text,
  phone_enc text,
  email_enc text,
  vehicle_year_enc text,
  vehicle_make_enc text,
  vehicle_model_enc text,
  vehicle_trim_enc text,
  vehicle_vin_enc text,
  notes_enc text,

  -- Blind indexes (base64url HMAC-SHA256), scoped by dealership.
  phone_bidx text,
  email_bidx text,
  full_name_bidx text,

  status public.lead_status not null default 'new',
  consent_status public.consent_status not null default 'unknown',
  consent_source text check (char_length(consent_source) <= 64),
  consent_updated_at timestamptz,
  source text check (char_length(source) <= 120),
  assigned_to uuid,
  last_activity_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  -- Envelopes are ASCII and bounded; anything else is not ours.
  constraint leads_envelopes_shape check (
    coalesce(first_name_enc, '') || coalesce(last_name_enc, '') || coalesce(phone_enc, '') ||
    coalesce(email_enc, '') || coalesce(vehicle_year_enc, '') || coalesce(vehicle_make_enc, '') ||
    coalesce(vehicle_model_enc, '') || coalesce(vehicle_trim_enc, '') || coalesce(vehicle_vin_enc, '') ||
    coalesce(notes_enc, '') ~ '^[A-Za-z0-9._-]*$'
  ),
  -- One lead per phone per dealership: imports and inbound replies merge on this.
  constraint leads_dealership_phone_unique unique (dealership_id, phone_bidx),
  -- The assignee must be a member of the same dealership; leaving the team unassigns.
  constraint leads_assignee_is_member foreign key (dealership_id, assigned_to)
    references public.memberships (dealership_id, user_id) on delete set null (assigned_to)
);

-- Every column a policy or a hot query filters by.
create index leads_dealership_assigned_idx on public.leads (dealership_id, assigned_to);
create index leads_dealership_activity_idx on public.leads (dealership_id, last_activity_at desc nulls last, id);
create index leads_dealership_status_idx on public.leads (dealership_id, status);
create index leads_dealership_email_bidx_idx on public.leads (dealership_id, email_bidx) where email_bidx is not null;
create index leads_dealership_name_bidx_idx on public.leads (dealership_id, full_name_bidx) where full_name_bidx is not null;

create trigger leads_touch before update on public.leads
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Privileges and policies. Owners, admins and managers see the whole dealership; reps see only
-- the leads assigned to them and cannot hand a lead to someone else.
-- ---------------------------------------------------------------------------------------------
alter table public.leads enable row level security;
revoke all on public.leads from anon, authenticated;
grant select, insert, delete on public.leads to authenticated;
-- A lead never moves between dealerships (its ciphertexts are bound to one).
grant update (
  first_name_enc, last_name_enc, phone_enc, email_enc, vehicle_year_enc, vehicle_make_enc, vehicle_model_enc,
  vehicle_trim_enc, vehicle_vin_enc, notes_enc, phone_bidx, email_bidx, full_name_bidx, status, consent_status,
  consent_source, consent_updated_at, source, assigned_to, last_activity_at
) on public.leads to authenticated;

create policy leads_select on public.leads for select to authenticated
  using (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );

create policy leads_insert on public.leads for insert to authenticated
  with check (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );

create policy leads_update on public.leads for update to authenticated
  using (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  )
  with check (
    dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin', 'manager']::public.membership_role[]))
    or (assigned_to = (select auth.uid()) and dealership_id in (select private.dealership_ids_for_current_user()))
  );

create policy leads_delete on public.leads for delete to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));
