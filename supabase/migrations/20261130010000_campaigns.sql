set lock_timeout = '5s';
set statement_timeout = '60s';

-- Campaigns (issue 10): the dealership's campaign settings, campaigns, and the send queue
-- (campaign_recipients: one row per campaign and lead, the source of truth of what was sent).
--
-- Users read campaigns and the queue of their dealership (campaigns.view); they never write either
-- directly: creating, launching, pausing, resuming and cancelling go through the definer functions
-- below, which check private.has_permission(dealership, 'campaigns.manage') and write the audit
-- row. The send worker (a NOLOGIN role, sms_sender, next migration) may only execute its own
-- definer functions. Counts shown to users are derived from the queue, never stored by a client.

-- ---------------------------------------------------------------------------------------------
-- Permissions (the TypeScript map in lib/auth/permissions.ts holds the same rows).
-- ---------------------------------------------------------------------------------------------
insert into private.role_permissions (permission, role)
select p.permission, r.role::public.membership_role
from (values
  ('campaigns.view',     array['owner', 'admin', 'manager', 'rep']),
  ('campaigns.manage',   array['owner', 'admin', 'manager']),
  ('campaigns.settings', array['owner', 'admin'])
) as p (permission, roles)
cross join lateral unnest(p.roles) as r (role);

-- ---------------------------------------------------------------------------------------------
-- leads: what Twilio told us about the phone number (21211 invalid, 30006 landline...), so no
-- campaign tries it again; cleared when the number changes. Not personal data (a code).
-- last_import_id: the import that last created or filled the lead (the audience's import filter).
-- ---------------------------------------------------------------------------------------------
alter table public.leads add column phone_mark text;
alter table public.leads add column phone_mark_code integer;
alter table public.leads add column phone_marked_at timestamptz;
alter table public.leads add column last_import_id uuid;
-- NOT VALID here, validated by the next migration (its own transaction) so no read waits on a scan.
alter table public.leads add constraint leads_phone_mark_known
  check (phone_mark in ('invalid', 'landline', 'not_sms_capable', 'unreachable')) not valid;
alter table public.leads add constraint leads_phone_mark_code_range
  check (phone_mark_code between 0 and 99999) not valid;
-- Imports name the import they belong to (column grants: the mark is the worker's alone).
grant insert (last_import_id), update (last_import_id) on public.leads to authenticated;

/* BEFORE UPDATE OF phone_bidx on leads: a new number starts with no mark. */
create function private.reset_phone_mark() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.phone_mark := null;
  new.phone_mark_code := null;
  new.phone_marked_at := null;
  return new;
end
$$;
revoke all on function private.reset_phone_mark() from public;
create trigger leads_phone_mark_reset before update of phone_bidx on public.leads
  for each row when (old.phone_bidx is distinct from new.phone_bidx and old.phone_mark is not null)
  execute function private.reset_phone_mark();

-- ---------------------------------------------------------------------------------------------
-- dealership_campaign_settings: one row per dealership, created with the dealership.
-- ---------------------------------------------------------------------------------------------
create table public.dealership_campaign_settings (
  dealership_id uuid primary key references public.dealerships (id) on delete cascade,
  -- Appended to the first message a lead ever receives from the dealership.
  opt_out_footer text not null default 'Reply STOP to opt out'
    check (char_length(btrim(opt_out_footer)) between 1 and 80 and opt_out_footer !~ '[\r\n]' and opt_out_footer ~* '\mSTOP\M'),
  -- Only leads whose consent is "opted in" may be texted.
  require_opt_in boolean not null default false,
  -- A lead texted (or who texted us) in the last N days is left out of a new campaign.
  recent_text_days integer not null default 7 check (recent_text_days between 0 and 365),
  -- Campaign messages per lead across all campaigns: at most M per D days.
  frequency_cap_messages integer not null default 1 check (frequency_cap_messages between 1 and 100),
  frequency_cap_days integer not null default 7 check (frequency_cap_days between 1 and 90),
  -- Campaign messages per rolling 24 hours (carriers' daily caps).
  daily_send_cap integer not null default 2000 check (daily_send_cap between 1 and 1000000),
  -- Per sending number (or Messaging Service): 1/s suits a long code.
  per_number_per_second numeric not null default 1 check (per_number_per_second > 0 and per_number_per_second <= 1000),
  -- The dealership's own hours (lib/campaigns/send-window.ts dealershipSendHoursSchema), or none.
  send_hours jsonb check (jsonb_typeof(send_hours) = 'object' and pg_column_size(send_hours) <= 1024),
  -- Auto-pause thresholds (lib/campaigns/twilio-errors.ts autoPauseThresholdsSchema), or the defaults.
  auto_pause jsonb check (jsonb_typeof(auto_pause) = 'object' and pg_column_size(auto_pause) <= 1024),
  updated_by uuid references auth.users (id) on delete set null,
  updated_at timestamptz not null default now()
);
create trigger dealership_campaign_settings_touch before update on public.dealership_campaign_settings
  for each row execute function private.touch_updated_at();

insert into public.dealership_campaign_settings (dealership_id) select d.id from public.dealerships d
on conflict do nothing;

/* AFTER INSERT on dealerships: every dealership has its campaign settings row. */
create function private.create_campaign_settings() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.dealership_campaign_settings (dealership_id) values (new.id) on conflict do nothing;
  return null;
end
$$;
revoke all on function private.create_campaign_settings() from public;
create trigger dealerships_campaign_settings after insert on public.dealerships
  for each row execute function private.create_campaign_settings();

alter table public.dealership_campaign_settings enable row level security;
revoke all on public.dealership_campaign_settings from anon, authenticated;
grant select, update (opt_out_footer, require_opt_in, recent_text_days, frequency_cap_messages, frequency_cap_days,
  daily_send_cap, per_number_per_second, send_hours, auto_pause, updated_by) on public.dealership_campaign_settings to authenticated;
create policy dealership_campaign_settings_select on public.dealership_campaign_settings for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('campaigns.view')));
create policy dealership_campaign_settings_update on public.dealership_campaign_settings for update to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('campaigns.settings')))
  with check (updated_by = (select auth.uid()) and dealership_id in (select private.dealership_ids_with_permission('campaigns.settings')));

/* AFTER UPDATE on dealership_campaign_settings: which settings changed (names only). */
create function private.audit_campaign_settings() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    return null;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  select new.dealership_id, (select auth.uid()), 'campaign_settings.updated', 'dealership', new.dealership_id::text,
         jsonb_build_object('fields', (
           select string_agg(n.key, ',' order by n.key)
           from jsonb_each(to_jsonb(new) - array['updated_at', 'updated_by']) n
           where n.value is distinct from (to_jsonb(old) -> n.key)));
  return null;
end
$$;
revoke all on function private.audit_campaign_settings() from public;
create trigger dealership_campaign_settings_audit after update on public.dealership_campaign_settings
  for each row execute function private.audit_campaign_settings();

-- ---------------------------------------------------------------------------------------------
-- campaigns
-- ---------------------------------------------------------------------------------------------
create type public.campaign_status as enum ('draft', 'scheduled', 'sending', 'paused', 'completed', 'canceled');

create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  -- A number or a Messaging Service of the dealership (checked by create_campaign and the worker).
  sending_number_id uuid references public.sending_numbers (id) on delete set null,
  -- Written by staff with merge fields ({first_name|there}); lead data is filled in at send time.
  template text not null check (char_length(template) between 1 and 1600),
  -- The audience filter (lib/campaigns/audience.ts campaignAudienceSchema): ids and codes only.
  audience jsonb not null default '{}'::jsonb check (jsonb_typeof(audience) = 'object' and pg_column_size(audience) <= 4096),
  status public.campaign_status not null default 'draft',
  scheduled_at timestamptz,
  launched_at timestamptz,
  launched_by uuid references auth.users (id) on delete set null,
  -- One launch per key: a double click or a resubmitted form gets the first launch's result.
  idempotency_key text check (idempotency_key ~ '^[A-Za-z0-9_-]{16,100}$'),
  -- What the launch enqueued and left out (by reason), as the launch computed it.
  launch_counts jsonb check (jsonb_typeof(launch_counts) = 'object'),
  pause_reason text check (char_length(pause_reason) <= 500),
  paused_at timestamptz,
  -- Outcome counts at the last resume: auto-pause judges what happened since.
  auto_pause_baseline jsonb check (jsonb_typeof(auto_pause_baseline) = 'object'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  canceled_at timestamptz,
  constraint campaigns_dealership_idempotency_key_unique unique (dealership_id, idempotency_key),
  constraint campaigns_launched_when_not_draft check ((status = 'draft') = (launched_at is null) or status = 'canceled'),
  constraint campaigns_scheduled_has_time check (status <> 'scheduled' or scheduled_at is not null)
);
create index campaigns_dealership_created_idx on public.campaigns (dealership_id, created_at desc, id);
create index campaigns_active_idx on public.campaigns (status) where status in ('scheduled', 'sending');
create index campaigns_sending_number_idx on public.campaigns (sending_number_id);
create index campaigns_launched_by_idx on public.campaigns (launched_by) where launched_by is not null;
create index campaigns_created_by_idx on public.campaigns (created_by) where created_by is not null;
create trigger campaigns_touch before update on public.campaigns
  for each row execute function private.touch_updated_at();

alter table public.campaigns enable row level security;
revoke all on public.campaigns from anon, authenticated;
grant select on public.campaigns to authenticated;
create policy campaigns_select on public.campaigns for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('campaigns.view')));

-- ---------------------------------------------------------------------------------------------
-- campaign_recipients: the send queue. One row per (campaign, lead), so at most one message per
-- lead per campaign can ever exist. Leads left out at launch get a 'skipped' row with the reason
-- (the campaign page's exclusion counts come from here).
--   queued   -> waiting for next_attempt_at (launch time, a scheduled time, a window, a retry)
--   sending  -> claimed by a worker (claim_token, lease_expires_at); its message is written
--               'pending' before Twilio is called; an expired lease is reconciled against Twilio
--   sent / delivered / failed -> Twilio's answer and the status callbacks
--   skipped  -> left out at launch, or at claim time (opted out, do not contact...)
--   canceled -> the campaign was canceled before this row was sent
-- ---------------------------------------------------------------------------------------------
create type public.campaign_recipient_status as enum ('queued', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'canceled');

create table public.campaign_recipients (
  id bigint generated always as identity primary key,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  lead_id uuid not null references public.leads (id) on delete cascade,
  status public.campaign_recipient_status not null default 'queued',
  skip_reason text check (skip_reason in ('opted_out', 'do_not_contact', 'no_consent', 'invalid_phone', 'landline',
    'active_campaign', 'open_conversation', 'recent_text')),
  attempts smallint not null default 0 check (attempts between 0 and 100),
  next_attempt_at timestamptz not null default now(),
  -- Why the row waits (outside_window, frequency_cap, retry, no_window), for the campaign page.
  postponed_reason text check (postponed_reason in ('outside_window', 'frequency_cap', 'retry', 'no_window')),
  claim_token uuid,
  claimed_at timestamptz,
  lease_expires_at timestamptz,
  message_id uuid references public.messages (id) on delete set null,
  -- When the message was written for Twilio (the worker's clock); the frequency caps count it.
  sent_at timestamptz,
  delivered_at timestamptz,
  error_code integer check (error_code between 0 and 99999),
  failure_kind text check (failure_kind in ('permanent', 'opt_out', 'retryable', 'carrier_filtered', 'fatal', 'unsendable')),
  -- The lead opted out (STOP, 21610) after this campaign's message: the campaign's opt-outs.
  opted_out_at timestamptz,
  -- The lead answered after this campaign's message.
  replied_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaign_recipients_campaign_lead_unique unique (campaign_id, lead_id),
  constraint campaign_recipients_skip_has_reason check ((status = 'skipped') = (skip_reason is not null)),
  constraint campaign_recipients_claim_has_lease check (status <> 'sending' or (claim_token is not null and lease_expires_at is not null))
);
-- The claim: due rows of one campaign, oldest first.
create index campaign_recipients_due_idx on public.campaign_recipients (campaign_id, next_attempt_at, id) where status = 'queued';
-- Claims in flight: expired leases (reconciliation), a campaign's open work (completion).
create index campaign_recipients_lease_idx on public.campaign_recipients (lease_expires_at) where status = 'sending';
-- A lead's campaign history (frequency caps, attribution of replies and opt-outs, active campaigns).
create index campaign_recipients_lead_idx on public.campaign_recipients (lead_id, sent_at desc);
-- Status callbacks find the row by its message.
create index campaign_recipients_message_idx on public.campaign_recipients (message_id) where message_id is not null;

alter table public.campaign_recipients enable row level security;
revoke all on public.campaign_recipients from anon, authenticated;
grant select on public.campaign_recipients to authenticated;
-- Rows hold ids and statuses, no personal data: the whole dealership's queue for campaigns.view.
create policy campaign_recipients_select on public.campaign_recipients for select to authenticated
  using (dealership_id in (select private.dealership_ids_with_permission('campaigns.view')));

-- ---------------------------------------------------------------------------------------------
-- messages.campaign_id: the campaign a message went out for, or the campaign a reply answers.
-- ---------------------------------------------------------------------------------------------
alter table public.messages add column campaign_id uuid;
alter table public.messages add constraint messages_campaign_fk foreign key (campaign_id)
  references public.campaigns (id) on delete set null not valid;
-- The column is new and null in every existing row, so this partial index holds nothing yet; its
-- build is one pass over messages under the migration's 5 s lock timeout.
-- squawk-ignore require-concurrent-index-creation
create index messages_campaign_created_idx on public.messages (campaign_id, created_at) where campaign_id is not null;

-- ---------------------------------------------------------------------------------------------
-- The audience: every lead of the dealership matching the filter, with the first reason (in this
-- order) that leaves it out, or null when it can be texted:
--   opted_out, do_not_contact, no_consent (opt-in required), invalid_phone (none, or marked
--   invalid / unreachable / not SMS-capable by Twilio), landline, active_campaign (queued or being
--   sent in a scheduled, sending or paused campaign), open_conversation (unread or flagged replies,
--   or the lead texted in the last recent_text_days), recent_text (a message went to the lead in
--   the last recent_text_days).
-- Legal suppressions first, then what Twilio told us, then courtesy.
-- ---------------------------------------------------------------------------------------------

/* The audience of a filter: (lead, reason it is left out or null). No permission check: callers check. */
create function private.campaign_audience(p_dealership_id uuid, p_audience jsonb)
returns table (lead_id uuid, reason text)
language sql stable security definer set search_path = ''
as $$
  with f as (
    select
      case when jsonb_typeof(p_audience -> 'status') = 'array' and jsonb_array_length(p_audience -> 'status') > 0
           then array(select jsonb_array_elements_text(p_audience -> 'status'))::public.lead_status[] end as statuses,
      nullif(p_audience ->> 'sourceId', '')::uuid as source_id,
      nullif(p_audience ->> 'consent', '')::public.consent_status as consent,
      nullif(p_audience ->> 'inactiveDays', '')::integer as inactive_days,
      nullif(p_audience ->> 'assignedTo', '') as assigned_to,
      nullif(p_audience ->> 'importId', '')::uuid as import_id
  ), s as (
    select cs.require_opt_in, make_interval(days => cs.recent_text_days) as recent
    from public.dealership_campaign_settings cs where cs.dealership_id = p_dealership_id
  )
  select l.id,
    case
      when l.consent_status = 'opted_out' then 'opted_out'
      when exists (select 1 from public.do_not_contact d
                   where d.dealership_id = p_dealership_id and d.phone_bidx = l.phone_bidx) then 'do_not_contact'
      when coalesce(s.require_opt_in, false) and l.consent_status <> 'opted_in' then 'no_consent'
      when l.phone_bidx is null or l.phone_mark in ('invalid', 'unreachable', 'not_sms_capable') then 'invalid_phone'
      when l.phone_mark = 'landline' then 'landline'
      when exists (select 1 from public.campaign_recipients r join public.campaigns c on c.id = r.campaign_id
                   where r.lead_id = l.id and r.status in ('queued', 'sending')
                     and c.status in ('scheduled', 'sending', 'paused')) then 'active_campaign'
      when exists (select 1 from public.conversations cv
                   where cv.lead_id = l.id
                     and (cv.unread_count > 0 or cv.needs_attention
                          or cv.last_inbound_at > now() - coalesce(s.recent, interval '7 days'))) then 'open_conversation'
      when exists (select 1 from public.messages m
                   where m.lead_id = l.id and m.direction = 'outbound'
                     and m.status not in ('pending', 'failed', 'undelivered', 'canceled')
                     and m.created_at > now() - coalesce(s.recent, interval '7 days')) then 'recent_text'
    end
  from public.leads l
  cross join f
  left join s on true
  where l.dealership_id = p_dealership_id
    and (f.statuses is null or l.status = any (f.statuses))
    and (f.source_id is null or l.source_id = f.source_id)
    and (f.consent is null or l.consent_status = f.consent)
    and (f.inactive_days is null or l.last_activity_at is null
         or l.last_activity_at < now() - make_interval(days => f.inactive_days))
    and (f.assigned_to is null
         or (f.assigned_to = 'none' and l.assigned_to is null)
         or l.assigned_to::text = f.assigned_to)
    and (f.import_id is null or l.last_import_id = f.import_id)
$$;
revoke all on function private.campaign_audience(uuid, jsonb) from public;

/* The composer's live count: leads per reason (null = can be texted). campaigns.manage only. */
create function public.campaign_audience_counts(p_dealership_id uuid, p_audience jsonb)
returns table (reason text, leads integer)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'campaigns.manage') then
    raise exception 'not allowed to build campaigns here' using errcode = '42501';
  end if;
  return query select a.reason, count(*)::integer from private.campaign_audience(p_dealership_id, p_audience) a group by a.reason;
end
$$;

/* A few leads that can be texted, for the composer's preview (the caller reads them under RLS). */
create function public.campaign_audience_sample(p_dealership_id uuid, p_audience jsonb, p_limit integer)
returns table (lead_id uuid, first_message boolean)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'campaigns.manage') then
    raise exception 'not allowed to build campaigns here' using errcode = '42501';
  end if;
  return query
    select a.lead_id,
           not exists (select 1 from public.messages m
                       where m.lead_id = a.lead_id and m.direction = 'outbound'
                         and m.status not in ('pending', 'failed', 'undelivered', 'canceled'))
    from private.campaign_audience(p_dealership_id, p_audience) a
    where a.reason is null
    order by a.lead_id
    limit least(greatest(coalesce(p_limit, 5), 1), 20);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Creating and launching.
-- ---------------------------------------------------------------------------------------------

/* Create a draft; with an idempotency key already used in the dealership, return that campaign. */
create function public.create_campaign(
  p_dealership_id uuid,
  p_name text,
  p_sending_number_id uuid,
  p_template text,
  p_audience jsonb,
  p_idempotency_key text default null
) returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'campaigns.manage') then
    raise exception 'not allowed to create campaigns here' using errcode = '42501';
  end if;
  if p_idempotency_key is not null then
    select c.id into v_id from public.campaigns c
     where c.dealership_id = p_dealership_id and c.idempotency_key = p_idempotency_key;
    if v_id is not null then
      return v_id;
    end if;
  end if;
  if p_sending_number_id is null or not exists (
    select 1 from public.sending_numbers s where s.id = p_sending_number_id and s.dealership_id = p_dealership_id
  ) then
    raise exception 'not a sending number of this dealership' using errcode = 'RL051';
  end if;
  insert into public.campaigns (dealership_id, name, sending_number_id, template, audience, idempotency_key, created_by)
  values (p_dealership_id, btrim(p_name), p_sending_number_id, p_template, coalesce(p_audience, '{}'::jsonb),
          p_idempotency_key, (select auth.uid()))
  on conflict on constraint campaigns_dealership_idempotency_key_unique do nothing
  returning id into v_id;
  if v_id is null then
    -- A concurrent submission with the same key won.
    select c.id into v_id from public.campaigns c
     where c.dealership_id = p_dealership_id and c.idempotency_key = p_idempotency_key;
    return v_id;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), 'campaign.created', 'campaign', v_id::text, '{}'::jsonb);
  return v_id;
end
$$;

/* Queued and excluded counts of a campaign's queue as it is now. */
create function private.campaign_launch_counts(p_campaign_id uuid)
returns table (enqueued integer, excluded jsonb)
language sql stable security definer set search_path = ''
as $$
  select
    (select count(*)::integer from public.campaign_recipients r
      where r.campaign_id = p_campaign_id and r.status <> 'skipped'),
    (select coalesce(jsonb_object_agg(x.skip_reason, x.n), '{}'::jsonb)
       from (select r.skip_reason, count(*)::integer as n from public.campaign_recipients r
              where r.campaign_id = p_campaign_id and r.status = 'skipped' group by r.skip_reason) x)
$$;
revoke all on function private.campaign_launch_counts(uuid) from public;

/*
 * Launch a draft now (p_scheduled_at null or past) or at a time: enqueue the audience (one row per
 * lead; the left-out ones as 'skipped' with their reason) and start. Idempotent: the same key on a
 * launched campaign returns the first result with already_launched = true and enqueues nothing.
 */
create function public.launch_campaign(p_campaign_id uuid, p_idempotency_key text, p_scheduled_at timestamptz default null)
returns table (enqueued integer, excluded jsonb, already_launched boolean, status public.campaign_status)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_campaign public.campaigns;
  v_later boolean := p_scheduled_at is not null and p_scheduled_at > now();
  v_enqueued integer;
  v_excluded jsonb;
begin
  if (select auth.uid()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if p_idempotency_key is null or p_idempotency_key !~ '^[A-Za-z0-9_-]{16,100}$' then
    raise exception 'invalid idempotency key' using errcode = '22023';
  end if;
  select c.* into v_campaign from public.campaigns c where c.id = p_campaign_id for update;
  if v_campaign.id is null or not private.has_permission(v_campaign.dealership_id, 'campaigns.manage') then
    raise exception 'campaign not found' using errcode = '42501';
  end if;
  if v_campaign.launched_at is not null then
    if v_campaign.idempotency_key = p_idempotency_key then
      return query select (v_campaign.launch_counts ->> 'enqueued')::integer, v_campaign.launch_counts -> 'excluded', true,
        v_campaign.status;
      return;
    end if;
    raise exception 'campaign already launched' using errcode = 'RL050';
  end if;
  if v_campaign.status <> 'draft' then
    raise exception 'campaign canceled' using errcode = 'RL050';
  end if;
  if p_scheduled_at > now() + interval '90 days' then
    raise exception 'schedule within 90 days' using errcode = '22023';
  end if;
  if v_campaign.sending_number_id is null or not exists (
    select 1 from public.sending_numbers s where s.id = v_campaign.sending_number_id and s.dealership_id = v_campaign.dealership_id
  ) then
    raise exception 'not a sending number of this dealership' using errcode = 'RL051';
  end if;
  begin
    update public.campaigns c set idempotency_key = p_idempotency_key where c.id = p_campaign_id;
  exception when unique_violation then
    raise exception 'idempotency key used by another campaign' using errcode = 'RL056';
  end;

  insert into public.campaign_recipients (campaign_id, dealership_id, lead_id, status, skip_reason, next_attempt_at)
  select p_campaign_id, v_campaign.dealership_id, a.lead_id,
         case when a.reason is null then 'queued' else 'skipped' end::public.campaign_recipient_status,
         a.reason, case when v_later then p_scheduled_at else now() end
  from private.campaign_audience(v_campaign.dealership_id, v_campaign.audience) a;

  select x.enqueued, x.excluded into v_enqueued, v_excluded from private.campaign_launch_counts(p_campaign_id) x;
  if v_enqueued = 0 then
    raise exception 'no lead of the audience can be texted' using errcode = 'RL052';
  end if;
  update public.campaigns c
     set status = case when v_later then 'scheduled' else 'sending' end::public.campaign_status,
         scheduled_at = case when v_later then p_scheduled_at end,
         launched_at = now(), launched_by = (select auth.uid()),
         launch_counts = jsonb_build_object('enqueued', v_enqueued, 'excluded', v_excluded)
   where c.id = p_campaign_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_campaign.dealership_id, (select auth.uid()), 'campaign.launched', 'campaign', p_campaign_id::text,
          jsonb_strip_nulls(jsonb_build_object('enqueued', v_enqueued, 'excluded', v_excluded,
                                               'scheduled_at', case when v_later then p_scheduled_at end)));
  return query select v_enqueued, v_excluded, false,
    case when v_later then 'scheduled' else 'sending' end::public.campaign_status;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Pause, resume, cancel: at any time, each audited. Repeating one is a no-op.
-- ---------------------------------------------------------------------------------------------

/* The outcome counts auto-pause judges (see lib/campaigns/twilio-errors.ts CampaignOutcomeCounts). */
create function private.campaign_outcomes(p_campaign_id uuid)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'attempted', count(*) filter (where r.status in ('sent', 'delivered', 'failed')),
    'failed', count(*) filter (where r.status = 'failed' and coalesce(r.failure_kind, 'permanent') not in ('carrier_filtered', 'opt_out')),
    'filtered', count(*) filter (where r.status = 'failed' and r.failure_kind = 'carrier_filtered'),
    'optedOut', count(*) filter (where (r.status = 'failed' and r.failure_kind = 'opt_out')
                                    or (r.status in ('sent', 'delivered') and r.opted_out_at is not null)))
  from public.campaign_recipients r
  where r.campaign_id = p_campaign_id
$$;
revoke all on function private.campaign_outcomes(uuid) from public;

/* Lock a campaign the current user may manage, or refuse as if it did not exist. */
create function private.campaign_for_manager(p_campaign_id uuid)
returns public.campaigns
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_campaign public.campaigns;
begin
  select c.* into v_campaign from public.campaigns c where c.id = p_campaign_id for update;
  if (select auth.uid()) is null or v_campaign.id is null
     or not private.has_permission(v_campaign.dealership_id, 'campaigns.manage') then
    raise exception 'campaign not found' using errcode = '42501';
  end if;
  return v_campaign;
end
$$;
revoke all on function private.campaign_for_manager(uuid) from public;

/* Pause a scheduled or sending campaign: nothing more is written for Twilio until it resumes. */
create function public.pause_campaign(p_campaign_id uuid) returns public.campaign_status
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_campaign public.campaigns := private.campaign_for_manager(p_campaign_id);
begin
  if v_campaign.status = 'paused' then
    return v_campaign.status;
  end if;
  if v_campaign.status not in ('scheduled', 'sending') then
    raise exception 'cannot pause' using errcode = 'RL053';
  end if;
  update public.campaigns c set status = 'paused', paused_at = now(), pause_reason = null where c.id = p_campaign_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_campaign.dealership_id, (select auth.uid()), 'campaign.paused', 'campaign', p_campaign_id::text,
          jsonb_build_object('from', v_campaign.status));
  return 'paused';
end
$$;

/* Resume a paused campaign (scheduled again if its time has not come). */
create function public.resume_campaign(p_campaign_id uuid) returns public.campaign_status
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_campaign public.campaigns := private.campaign_for_manager(p_campaign_id);
  v_status public.campaign_status;
begin
  if v_campaign.status in ('sending', 'scheduled') then
    return v_campaign.status;
  end if;
  if v_campaign.status <> 'paused' then
    raise exception 'cannot resume' using errcode = 'RL054';
  end if;
  if not exists (select 1 from public.sending_numbers s where s.id = v_campaign.sending_number_id) then
    raise exception 'not a sending number of this dealership' using errcode = 'RL051';
  end if;
  v_status := case when v_campaign.scheduled_at > now() then 'scheduled' else 'sending' end;
  update public.campaigns c
     set status = v_status, paused_at = null, pause_reason = null,
         auto_pause_baseline = private.campaign_outcomes(p_campaign_id)
   where c.id = p_campaign_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_campaign.dealership_id, (select auth.uid()), 'campaign.resumed', 'campaign', p_campaign_id::text,
          jsonb_strip_nulls(jsonb_build_object('pause_reason', left(v_campaign.pause_reason, 200))));
  return v_status;
end
$$;

/* Cancel a campaign that has not finished: its queued rows are canceled, nothing more is sent. */
create function public.cancel_campaign(p_campaign_id uuid) returns public.campaign_status
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_campaign public.campaigns := private.campaign_for_manager(p_campaign_id);
  v_canceled integer;
begin
  if v_campaign.status = 'canceled' then
    return v_campaign.status;
  end if;
  if v_campaign.status = 'completed' then
    raise exception 'cannot cancel' using errcode = 'RL055';
  end if;
  update public.campaigns c set status = 'canceled', canceled_at = now() where c.id = p_campaign_id;
  -- Rows a worker holds are canceled by the worker's next write (it re-checks the campaign).
  with canceled as (
    update public.campaign_recipients r set status = 'canceled', updated_at = now()
     where r.campaign_id = p_campaign_id and r.status = 'queued'
    returning 1
  )
  select count(*)::integer into v_canceled from canceled;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_campaign.dealership_id, (select auth.uid()), 'campaign.canceled', 'campaign', p_campaign_id::text,
          jsonb_build_object('from', v_campaign.status, 'canceled', v_canceled));
  return 'canceled';
end
$$;

revoke all on function public.campaign_audience_counts(uuid, jsonb) from public, anon;
revoke all on function public.campaign_audience_sample(uuid, jsonb, integer) from public, anon;
revoke all on function public.create_campaign(uuid, text, uuid, text, jsonb, text) from public, anon;
revoke all on function public.launch_campaign(uuid, text, timestamptz) from public, anon;
revoke all on function public.pause_campaign(uuid) from public, anon;
revoke all on function public.resume_campaign(uuid) from public, anon;
revoke all on function public.cancel_campaign(uuid) from public, anon;
grant execute on function public.campaign_audience_counts(uuid, jsonb) to authenticated;
grant execute on function public.campaign_audience_sample(uuid, jsonb, integer) to authenticated;
grant execute on function public.create_campaign(uuid, text, uuid, text, jsonb, text) to authenticated;
grant execute on function public.launch_campaign(uuid, text, timestamptz) to authenticated;
grant execute on function public.pause_campaign(uuid) to authenticated;
grant execute on function public.resume_campaign(uuid) to authenticated;
grant execute on function public.cancel_campaign(uuid) to authenticated;
