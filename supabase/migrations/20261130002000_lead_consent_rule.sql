set lock_timeout = '5s';
set statement_timeout = '60s';

-- The consent rule of a lead, in one place, for every writer (issue 8, finding 3).
--
-- 1. An opt-out is sticky. consent_status may leave 'opted_out' only in code that runs as the
--    schema owner: the lead's own START (private.opt_in_lead, reached only through the sms_webhook
--    role) and an explicit staff re-consent with a recorded reason and source
--    (public.reconsent_lead below). The API roles (authenticated, anon, sms_webhook) are refused,
--    whatever path they take: the app's forms, a stale form, or PostgREST.
-- 2. Status "opted out" and consent "opted out" are one fact: status is opted_out exactly when
--    consent is. The trigger derives one from the other and a check constraint holds the result.
-- 3. leads.version counts the changes a person could care about (everything but updated_at and
--    last_activity_at, which every message touches), so an edit form can carry the version it was
--    rendered from and be refused when the lead changed since (optimistic concurrency).

-- ---------------------------------------------------------------------------------------------
-- Existing rows: make status and consent agree. Where they disagree, the opt-out wins: a lead
-- someone marked "opted out" is treated as having asked not to be texted (the safe reading).
-- ---------------------------------------------------------------------------------------------
update public.leads set status = 'opted_out'
 where consent_status = 'opted_out' and status <> 'opted_out';
update public.leads set consent_status = 'opted_out', consent_source = 'status was opted out', consent_updated_at = now()
 where status = 'opted_out' and consent_status <> 'opted_out';

alter table public.leads add column version integer not null default 1 check (version >= 1);

alter table public.leads add constraint leads_status_follows_consent
  check ((status = 'opted_out') = (consent_status = 'opted_out'));

-- ---------------------------------------------------------------------------------------------
-- The guard. Not SECURITY DEFINER: it must see who is really writing (inside a definer function
-- current_user is the function's owner; a signed-in user's statement runs as authenticated).
-- Inserts are held by the check constraint alone: a row trigger on insert would cost every import.
-- ---------------------------------------------------------------------------------------------

/* BEFORE UPDATE on leads: sticky opt-out, status derived from consent, version bump. */
create function private.guard_lead_consent() returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_platform boolean;
begin
  if old.consent_status = 'opted_out' and new.consent_status <> 'opted_out' then
    -- The schema owner (definer functions, migrations) or a superuser (platform maintenance).
    select r.rolsuper or r.oid = (select c.relowner from pg_catalog.pg_class c where c.oid = tg_relid)
      into v_platform
      from pg_catalog.pg_roles r where r.rolname = current_user;
    if not coalesce(v_platform, false) then
      raise exception 'This lead opted out. Only the lead (by texting START) or a recorded re-consent can opt them back in.'
        using errcode = 'RL010';
    end if;
    if new.status = 'opted_out' then
      new.status := 'engaged';
    end if;
  end if;

  if new.consent_status = 'opted_out' then
    new.status := 'opted_out';
  elsif new.status = 'opted_out' then
    -- Marking a lead "opted out" is an opt-out.
    new.consent_status := 'opted_out';
    if new.consent_source is not distinct from old.consent_source then
      new.consent_source := 'status set to opted out';
    end if;
  end if;
  if new.consent_status is distinct from old.consent_status and new.consent_updated_at is not distinct from old.consent_updated_at then
    new.consent_updated_at := now();
  end if;

  if (to_jsonb(new) - array['updated_at', 'last_activity_at', 'version']) is distinct from
     (to_jsonb(old) - array['updated_at', 'last_activity_at', 'version']) then
    new.version := old.version + 1;
  else
    new.version := old.version;
  end if;
  return new;
end
$$;
revoke all on function private.guard_lead_consent() from public;

create trigger leads_guard_consent before update on public.leads
  for each row execute function private.guard_lead_consent();

-- ---------------------------------------------------------------------------------------------
-- Staff re-consent: the only way a person other than the lead can undo an opt-out. The reason
-- and the source are codes from fixed lists (free text could carry personal data into the audit
-- log); both land in the consent history and the audit log.
-- ---------------------------------------------------------------------------------------------

/* Opt an opted-out lead back in on a recorded re-consent (owners, admins, managers). */
create function public.reconsent_lead(p_lead_id uuid, p_reason text, p_source text) returns void
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
     or not private.has_role_on_dealership(v_lead.dealership_id, array['owner', 'admin', 'manager']::public.membership_role[]) then
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
revoke all on function public.reconsent_lead(uuid, text, text) from public, anon;
grant execute on function public.reconsent_lead(uuid, text, text) to authenticated;
