set lock_timeout = '5s';
set statement_timeout = '60s';

-- Campaigns leave out the leads whose reply said wrong number or bought elsewhere
-- (leads.campaign_suppression, set by reply triage in 20261130040000): a new exclusion reason,
-- 'reply_suppressed', tried right after the legal ones, both when the audience is counted and
-- enqueued (private.campaign_audience) and again when each row is claimed for sending
-- (private.claim_campaign_recipients). The two functions are restated from
-- 20261130010000_campaigns.sql and 20261130010100_campaign_worker.sql with that one line added;
-- create or replace keeps their grants. A staff correction that lifts the suppression lets the
-- lead back into later campaigns.

alter table public.campaign_recipients drop constraint campaign_recipients_skip_reason_check;
alter table public.campaign_recipients add constraint campaign_recipients_skip_reason_check
  check (skip_reason in ('opted_out', 'do_not_contact', 'reply_suppressed', 'no_consent', 'invalid_phone', 'landline',
    'active_campaign', 'open_conversation', 'recent_text')) not valid;

create or replace function private.campaign_audience(p_dealership_id uuid, p_audience jsonb)
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
      when l.campaign_suppression is not null then 'reply_suppressed'
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

create or replace function private.claim_campaign_recipients(p_campaign_id uuid, p_now timestamptz, p_limit integer, p_lease_seconds integer)
returns table (
  recipient_id bigint, lead_id uuid, attempts integer, claim_token uuid, lead jsonb, rep_name text,
  first_message boolean, history jsonb
)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_campaign public.campaigns;
  v_settings public.dealership_campaign_settings;
  v_token uuid := gen_random_uuid();
  v_room integer;
begin
  if p_now is null or p_limit is null or p_limit not between 1 and 5000 or p_lease_seconds not between 1 and 3600 then
    raise exception 'invalid claim' using errcode = '22023';
  end if;
  select c.* into v_campaign from public.campaigns c where c.id = p_campaign_id;
  if v_campaign.status is distinct from 'sending' then
    return;
  end if;
  select s.* into v_settings from public.dealership_campaign_settings s where s.dealership_id = v_campaign.dealership_id;
  perform pg_advisory_xact_lock(hashtextextended('campaign-claim:' || v_campaign.dealership_id::text, 0));
  -- The dealership's daily cap: messages written for Twilio in the last 24 (read: 25) hours, and
  -- claims in flight that have not written theirs yet.
  select v_settings.daily_send_cap
         - coalesce((select sum(c.sends) from private.campaign_send_counts c
                      where c.dealership_id = v_campaign.dealership_id
                        and c.hour >= date_trunc('hour', p_now - interval '24 hours')), 0)
         - (select count(*) from public.campaign_recipients r
             where r.status = 'sending' and r.sent_at is null and r.dealership_id = v_campaign.dealership_id)
    into v_room;
  if v_room <= 0 then
    return;
  end if;

  return query
  with picked as (
    select r.id
      from public.campaign_recipients r
     where r.campaign_id = p_campaign_id and r.status = 'queued' and r.next_attempt_at <= p_now
     order by r.next_attempt_at, r.id
     limit least(p_limit, v_room)
     for update of r skip locked
  ), verdict as (
    select r.id,
      case
        when l.consent_status = 'opted_out' then 'opted_out'
        when exists (select 1 from public.do_not_contact d
                     where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx) then 'do_not_contact'
        when l.campaign_suppression is not null then 'reply_suppressed'
        when v_settings.require_opt_in and l.consent_status <> 'opted_in' then 'no_consent'
        when l.phone_bidx is null or l.phone_mark in ('invalid', 'unreachable', 'not_sms_capable') then 'invalid_phone'
        when l.phone_mark = 'landline' then 'landline'
        when exists (select 1 from public.conversations cv
                     where cv.lead_id = l.id and (cv.unread_count > 0 or cv.needs_attention)) then 'open_conversation'
      end as skip
    from picked p
    join public.campaign_recipients r on r.id = p.id
    join public.leads l on l.id = r.lead_id
  ), claimed as (
    update public.campaign_recipients r
       set status = case when v.skip is null then 'sending' else 'skipped' end::public.campaign_recipient_status,
           skip_reason = v.skip,
           attempts = r.attempts + case when v.skip is null then 1 else 0 end,
           claim_token = case when v.skip is null then v_token end,
           claimed_at = case when v.skip is null then p_now end,
           lease_expires_at = case when v.skip is null then now() + make_interval(secs => p_lease_seconds) end,
           updated_at = now()
      from verdict v
     where r.id = v.id
    returning r.id, r.lead_id, r.attempts, r.status
  )
  select c.id, c.lead_id, c.attempts::integer, v_token, to_jsonb(l.*),
    (select coalesce(u.raw_user_meta_data ->> 'display_name', split_part(u.email::text, '@', 1))
       from auth.users u where u.id = l.assigned_to),
    not exists (select 1 from public.messages m
                where m.lead_id = c.lead_id and m.direction = 'outbound'
                  and m.status not in ('pending', 'failed', 'undelivered', 'canceled')),
    (select coalesce(jsonb_agg(jsonb_build_object('campaignId', h.campaign_id, 'sentAt', h.sent_at)), '[]'::jsonb)
       from public.campaign_recipients h
      where h.lead_id = c.lead_id and h.id <> c.id and h.sent_at is not null
        and h.status in ('sending', 'sent', 'delivered')
        and h.sent_at > p_now - make_interval(days => greatest(v_settings.frequency_cap_days, 1)))
  from claimed c
  join public.leads l on l.id = c.lead_id
  where c.status = 'sending';
end
$$;
