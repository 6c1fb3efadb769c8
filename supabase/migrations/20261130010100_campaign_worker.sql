set lock_timeout = '5s';
set statement_timeout = '60s';

-- The campaign send worker's database access (issue 10), status callbacks that update the queue,
-- and the attribution of replies and opt-outs to the campaign that texted the lead.
--
-- The worker has no user: it runs as sms_sender, a NOLOGIN role that owns nothing, can read or
-- write no table, and may execute only the definer functions below. Why a queue table claimed
-- with FOR UPDATE SKIP LOCKED rather than graphile-worker, pg-boss or pgmq: see README "Campaign
-- send queue". In short: the queue row is the campaign's record (one per lead, unique), so the
-- claim, the consent re-check and the status are one statement on one row, with no second schema,
-- daemon or copy of the job to keep in step.
--
-- Crash safety, in order: claim (status 'sending', a claim token and a lease) -> the message is
-- written 'pending' with the recipient (consent, do-not-contact, campaign status and the
-- dealership's frequency cap checked again, with the lead row locked) -> Twilio -> the result.
-- A lease that expires means the worker died: rows with no message go back to the queue; rows
-- with a pending message are handed to a worker that asks Twilio (messages.list by recipient)
-- whether it has the message before sending again. A stale worker's late writes are refused
-- (claim token).

-- Validate what the previous migration added NOT VALID (its own transaction: no long lock there).
alter table public.leads validate constraint leads_phone_mark_known;
alter table public.leads validate constraint leads_phone_mark_code_range;
alter table public.messages validate constraint messages_campaign_fk;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'sms_sender') then
    create role sms_sender nologin noinherit;
  end if;
end
$$;
grant sms_sender to postgres;
grant usage on schema private to sms_sender;

-- Per sending number: the next free send slot (the per-number throttle, shared by every worker).
create table private.campaign_send_slots (
  sending_number_id uuid primary key references public.sending_numbers (id) on delete cascade,
  next_slot_at timestamptz not null
);
alter table private.campaign_send_slots enable row level security;
revoke all on private.campaign_send_slots from public, anon, authenticated;

-- Per dealership and hour: messages written for Twilio (the daily cap). A rolling 24 hours is read
-- as the last 25 hour buckets, so the cap is never exceeded (at worst it frees an hour late); a
-- count of the queue itself would grow with every message of the day.
create table private.campaign_send_counts (
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  hour timestamptz not null,
  sends integer not null check (sends >= 0),
  primary key (dealership_id, hour)
);
alter table private.campaign_send_counts enable row level security;
revoke all on private.campaign_send_counts from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- The worker's loop: start due scheduled campaigns, complete finished ones, list the work.
-- ---------------------------------------------------------------------------------------------

/*
 * Start scheduled campaigns whose time has come, complete finished ones; the campaigns with due
 * rows. p_dealership_ids limits all of it to some dealerships (tests, sharding); null = all.
 */
create function private.campaign_worker_tick(p_now timestamptz, p_dealership_ids uuid[] default null)
returns table (campaign_id uuid, dealership_id uuid)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  with started as (
    update public.campaigns c set status = 'sending'
     where c.status = 'scheduled' and c.scheduled_at <= p_now
       and (p_dealership_ids is null or c.dealership_id = any (p_dealership_ids))
    returning c.id, c.dealership_id
  )
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  select s.dealership_id, 'campaign.started', 'campaign', s.id::text, '{}'::jsonb from started s;

  with done as (
    update public.campaigns c set status = 'completed', completed_at = now()
     where c.status = 'sending'
       and (p_dealership_ids is null or c.dealership_id = any (p_dealership_ids))
       -- Two probes, one per partial index (queued: the claim's; sending: the lease index).
       and not exists (select 1 from public.campaign_recipients r where r.campaign_id = c.id and r.status = 'queued')
       and not exists (select 1 from public.campaign_recipients r where r.campaign_id = c.id and r.status = 'sending')
    returning c.id, c.dealership_id
  )
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  select d.dealership_id, 'campaign.completed', 'campaign', d.id::text, '{}'::jsonb from done d;

  delete from private.campaign_send_counts s
   where s.hour < p_now - interval '3 days'
     and (p_dealership_ids is null or s.dealership_id = any (p_dealership_ids));

  return query
    select c.id, c.dealership_id from public.campaigns c
     where c.status = 'sending'
       and (p_dealership_ids is null or c.dealership_id = any (p_dealership_ids))
       and exists (select 1 from public.campaign_recipients r
                   where r.campaign_id = c.id and r.status = 'queued' and r.next_attempt_at <= p_now)
     order by c.launched_at, c.id;
end
$$;

/* What the worker needs to send a campaign's messages: template, sender, the dealership's settings. */
create function private.campaign_send_context(p_campaign_id uuid)
returns table (
  campaign_id uuid, dealership_id uuid, status public.campaign_status, template text, dealership_name text,
  sending_number_id uuid, from_number text, messaging_service_sid text, opt_out_footer text,
  frequency_cap_messages integer, frequency_cap_days integer, per_number_per_second numeric,
  send_hours jsonb, auto_pause jsonb, auto_pause_baseline jsonb
)
language sql stable security definer set search_path = ''
as $$
  select c.id, c.dealership_id, c.status, c.template, d.name, s.id, s.phone_number, s.messaging_service_sid,
         cs.opt_out_footer, cs.frequency_cap_messages, cs.frequency_cap_days, cs.per_number_per_second,
         cs.send_hours, cs.auto_pause, c.auto_pause_baseline
  from public.campaigns c
  join public.dealerships d on d.id = c.dealership_id
  join public.dealership_campaign_settings cs on cs.dealership_id = c.dealership_id
  left join public.sending_numbers s on s.id = c.sending_number_id and s.dealership_id = c.dealership_id
  where c.id = p_campaign_id
$$;

-- ---------------------------------------------------------------------------------------------
-- The claim. One statement takes due rows (FOR UPDATE SKIP LOCKED: workers never wait on each
-- other), re-checks each lead's consent, the do-not-contact list, the opt-in requirement, the
-- phone mark and open conversations, and marks the row 'sending' with a lease or 'skipped' with
-- the reason. Claims of one dealership take turns (advisory lock) so its daily cap holds.
-- ---------------------------------------------------------------------------------------------

/* Claim up to p_limit due rows of a sending campaign; returns the claimed ones with their lead. */
create function private.claim_campaign_recipients(p_campaign_id uuid, p_now timestamptz, p_limit integer, p_lease_seconds integer)
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

/* Reserve p_count consecutive send slots on a sending number at p_per_second; returns the first. */
create function private.reserve_campaign_send_slots(p_sending_number_id uuid, p_count integer, p_per_second numeric, p_now timestamptz)
returns timestamptz
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_span interval;
  v_end timestamptz;
begin
  if p_count not between 1 and 5000 or p_per_second is null or p_per_second <= 0 then
    raise exception 'invalid reservation' using errcode = '22023';
  end if;
  v_span := make_interval(secs => p_count / p_per_second);
  insert into private.campaign_send_slots as s (sending_number_id, next_slot_at)
  values (p_sending_number_id, p_now + v_span)
  on conflict (sending_number_id) do update set next_slot_at = greatest(s.next_slot_at, p_now) + v_span
  returning s.next_slot_at into v_end;
  return v_end - v_span;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Writing the messages before Twilio is called.
-- ---------------------------------------------------------------------------------------------

/*
 * For rows this claim still holds: lock the leads, then re-check the campaign (paused -> back to
 * the queue, canceled -> canceled), consent, do-not-contact, opt-in and the phone mark (skipped),
 * and the dealership's frequency cap across campaigns (postponed); write the others' messages
 * 'pending' (with the conversation). Verdicts: send, released, canceled, skipped:<reason>,
 * frequency_cap (with not_before), lost (the claim is no longer this worker's).
 */
create function private.record_campaign_messages(p_claim_token uuid, p_now timestamptz, p_messages jsonb)
returns table (recipient_id bigint, verdict text, not_before timestamptz)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_ids bigint[];
  v_verdicts text[];
  v_not_before timestamptz[];
  v_written integer;
  v_dealership uuid;
begin
  -- Lock the leads first (id order), then decide with a fresh snapshot: a concurrent write for the
  -- same lead (another campaign's, a STOP) has committed by then and is seen.
  perform 1 from public.leads l
   where l.id in (select r.lead_id from public.campaign_recipients r
                  where r.id in (select (e ->> 'recipient_id')::bigint from jsonb_array_elements(p_messages) e)
                    and r.claim_token = p_claim_token)
   order by l.id
   for no key update of l;

  with input as (
    select x.recipient_id from jsonb_to_recordset(p_messages) as x(recipient_id bigint)
  ), mine as (
    select r.id, r.lead_id, r.dealership_id, c.status as campaign_status
      from input i
      join public.campaign_recipients r on r.id = i.recipient_id
      join public.campaigns c on c.id = r.campaign_id
     where r.status = 'sending' and r.claim_token = p_claim_token and r.message_id is null
  ), decided as (
    select m.id, m.lead_id,
      case
        when m.campaign_status = 'canceled' then 'canceled'
        when m.campaign_status <> 'sending' then 'released'
        when l.consent_status = 'opted_out' then 'skipped:opted_out'
        when exists (select 1 from public.do_not_contact d
                     where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx) then 'skipped:do_not_contact'
        when s.require_opt_in and l.consent_status <> 'opted_in' then 'skipped:no_consent'
        when l.phone_bidx is null or l.phone_mark in ('invalid', 'unreachable', 'not_sms_capable') then 'skipped:invalid_phone'
        when l.phone_mark = 'landline' then 'skipped:landline'
        when cap.not_before > p_now then 'frequency_cap'
        else 'send'
      end as verdict,
      cap.not_before
    from mine m
    join public.leads l on l.id = m.lead_id
    join public.dealership_campaign_settings s on s.dealership_id = m.dealership_id
    left join lateral (
      select h.sent_at + make_interval(days => s.frequency_cap_days) as not_before
        from public.campaign_recipients h
       where h.lead_id = m.lead_id and h.id <> m.id and h.sent_at is not null
         and h.status in ('sending', 'sent', 'delivered')
         and h.sent_at > p_now - make_interval(days => s.frequency_cap_days)
       order by h.sent_at desc
      offset s.frequency_cap_messages - 1 limit 1
    ) cap on true
  )
  select array_agg(i.recipient_id), array_agg(coalesce(d.verdict, 'lost')), array_agg(d.not_before)
    into v_ids, v_verdicts, v_not_before
    from input i left join decided d on d.id = i.recipient_id;

  -- The sendable ones: conversation, message 'pending', the row points at it.
  with send as (
    select x.recipient_id, x.message_id, x.body_enc, x.segments, r.lead_id, r.dealership_id, r.campaign_id, c.sending_number_id
      from jsonb_to_recordset(p_messages) as x(recipient_id bigint, message_id uuid, body_enc text, segments integer)
      join unnest(v_ids, v_verdicts) as v (id, verdict) on v.id = x.recipient_id and v.verdict = 'send'
      join public.campaign_recipients r on r.id = x.recipient_id
      join public.campaigns c on c.id = r.campaign_id
  ), conv as (
    insert into public.conversations as cv (dealership_id, lead_id, sending_number_id, last_message_at)
    select s.dealership_id, s.lead_id, s.sending_number_id, now() from send s
    on conflict on constraint conversations_lead_id_key do update
      set last_message_at = now(), sending_number_id = coalesce(cv.sending_number_id, excluded.sending_number_id)
    returning cv.id, cv.lead_id
  ), msg as (
    insert into public.messages (id, dealership_id, conversation_id, lead_id, direction, body_enc, status, segments, campaign_id)
    select s.message_id, s.dealership_id, cv.id, s.lead_id, 'outbound', s.body_enc, 'pending', s.segments, s.campaign_id
      from send s join conv cv on cv.lead_id = s.lead_id
    returning id
  )
  update public.campaign_recipients r
     set message_id = s.message_id, sent_at = p_now, postponed_reason = null, updated_at = now()
    from send s
   where r.id = s.recipient_id and exists (select 1 from msg where msg.id = s.message_id);
  get diagnostics v_written = row_count;
  if v_written > 0 then
    -- One claim is one campaign, so one dealership.
    select r.dealership_id into v_dealership from public.campaign_recipients r where r.id = v_ids[1];
    insert into private.campaign_send_counts as c (dealership_id, hour, sends)
    values (v_dealership, date_trunc('hour', p_now), v_written)
    on conflict (dealership_id, hour) do update set sends = c.sends + excluded.sends;
  end if;

  update public.campaign_recipients r
     set status = case
           when v.verdict = 'canceled' then 'canceled'
           when v.verdict like 'skipped:%' then 'skipped'
           else 'queued' end::public.campaign_recipient_status,
         skip_reason = case when v.verdict like 'skipped:%' then substr(v.verdict, 9) end,
         next_attempt_at = case when v.verdict = 'frequency_cap' then v.not_before else p_now end,
         postponed_reason = case when v.verdict = 'frequency_cap' then 'frequency_cap' else r.postponed_reason end,
         attempts = greatest(r.attempts - 1, 0),
         claim_token = null, claimed_at = null, lease_expires_at = null, updated_at = now()
    from unnest(v_ids, v_verdicts, v_not_before) as v (id, verdict, not_before)
   where r.id = v.id and v.verdict not in ('send', 'lost') and r.claim_token = p_claim_token;

  return query select v.id, v.verdict, v.not_before from unnest(v_ids, v_verdicts, v_not_before) as v (id, verdict, not_before);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Results.
--   sent      Twilio has it: sid and status on the message; the row is sent (a status callback
--             may have moved it on already)
--   failed    Twilio refused it or it could not be rendered: message and row failed; the lead's
--             phone is marked (invalid, landline...) and a 21610 opts the lead out
--   retry     Twilio answered that it did not take it (429, 5xx): the pending message is removed
--             and the row waits until retry_at
--   postpone  not sent (outside the window, a cap): the row waits until retry_at, no attempt used
--   release   not sent (the campaign paused itself): back to the queue, no attempt used
--   unknown   the request may have reached Twilio: the lease is shortened so reconciliation asks
--             Twilio before anything is sent again
-- ---------------------------------------------------------------------------------------------

/* The results of p_results for rows the claim still holds (each statement below reads it afresh). */
create function private.campaign_claimed_results(p_claim_token uuid, p_results jsonb)
returns table (
  recipient_id bigint, lead_id uuid, message_id uuid, outcome text, twilio_sid text, twilio_status text,
  error_code integer, failure_kind text, phone_mark text, retry_at timestamptz, postponed_reason text
)
language sql stable security definer set search_path = ''
as $$
  select x.recipient_id, r.lead_id, r.message_id, x.outcome, x.twilio_sid, x.twilio_status, x.error_code,
         x.failure_kind, x.phone_mark, x.retry_at, x.postponed_reason
    from jsonb_to_recordset(p_results) as x(recipient_id bigint, outcome text, twilio_sid text, twilio_status text,
                                            error_code integer, failure_kind text, phone_mark text, retry_at timestamptz,
                                            postponed_reason text)
    join public.campaign_recipients r on r.id = x.recipient_id
   where r.status = 'sending' and r.claim_token = p_claim_token
$$;
revoke all on function private.campaign_claimed_results(uuid, jsonb) from public;

/* Record what became of claimed rows; rows the claim no longer holds are left alone. */
create function private.record_campaign_results(p_claim_token uuid, p_now timestamptz, p_results jsonb)
returns integer
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_count integer;
  v_lead uuid;
begin
  if exists (select 1 from jsonb_to_recordset(p_results) as x(outcome text)
             where x.outcome is null or x.outcome not in ('sent', 'failed', 'retry', 'postpone', 'release', 'unknown')) then
    raise exception 'unknown outcome' using errcode = '22023';
  end if;

  update public.messages m
     set twilio_sid = case when i.outcome = 'sent' then coalesce(m.twilio_sid, i.twilio_sid) else m.twilio_sid end,
         status = case when i.outcome = 'sent' then i.twilio_status::public.message_status else 'failed' end,
         error_code = case when i.outcome = 'failed' then coalesce(i.error_code, m.error_code) else m.error_code end
    from private.campaign_claimed_results(p_claim_token, p_results) i
   where m.id = i.message_id and i.outcome in ('sent', 'failed');
  -- The rarer work only when some result asks for it (a batch is usually all 'sent').
  if exists (select 1 from jsonb_to_recordset(p_results) as x(phone_mark text, failure_kind text)
             where x.phone_mark is not null or x.failure_kind = 'opt_out') then
    update public.leads l
       set phone_mark = i.phone_mark, phone_mark_code = i.error_code, phone_marked_at = now()
      from private.campaign_claimed_results(p_claim_token, p_results) i
     where l.id = i.lead_id and i.outcome = 'failed' and i.phone_mark is not null
       and l.phone_mark is distinct from i.phone_mark;
    for v_lead in select i.lead_id from private.campaign_claimed_results(p_claim_token, p_results) i
                   where i.outcome = 'failed' and i.failure_kind = 'opt_out' loop
      perform private.opt_out_lead(v_lead, 'twilio_error_21610');
    end loop;
  end if;

  update public.campaign_recipients r
     set status = case i.outcome
           when 'sent' then 'sent' when 'failed' then 'failed' when 'unknown' then 'sending' else 'queued'
         end::public.campaign_recipient_status,
         error_code = case when i.outcome = 'sent' then null else coalesce(i.error_code, r.error_code) end,
         failure_kind = case when i.outcome = 'failed' then coalesce(i.failure_kind, 'permanent') else r.failure_kind end,
         message_id = case when i.outcome in ('retry', 'release', 'postpone') then null else r.message_id end,
         sent_at = case when i.outcome in ('retry', 'release', 'postpone') then null else r.sent_at end,
         next_attempt_at = case when i.outcome in ('retry', 'postpone') then coalesce(i.retry_at, p_now)
                                when i.outcome = 'release' then p_now else r.next_attempt_at end,
         postponed_reason = case when i.outcome = 'retry' then 'retry'
                                 when i.outcome = 'postpone' then i.postponed_reason else r.postponed_reason end,
         attempts = case when i.outcome in ('postpone', 'release') then greatest(r.attempts - 1, 0) else r.attempts end,
         claim_token = case when i.outcome = 'unknown' then r.claim_token end,
         claimed_at = case when i.outcome = 'unknown' then r.claimed_at end,
         lease_expires_at = case when i.outcome = 'unknown' then now() + interval '15 seconds' end,
         updated_at = now()
    from private.campaign_claimed_results(p_claim_token, p_results) i
   where r.id = i.recipient_id;
  get diagnostics v_count = row_count;

  -- Twilio never took these (it answered 429/5xx, or the campaign paused first): the pending
  -- message goes, so the inbox shows only what was sent. Only rows this claim just released.
  if not exists (select 1 from jsonb_to_recordset(p_results) as x(outcome text)
                 where x.outcome in ('retry', 'release', 'postpone')) then
    return v_count;
  end if;
  delete from public.messages m
   using jsonb_to_recordset(p_results) as x(recipient_id bigint, outcome text)
   join public.campaign_recipients r on r.id = x.recipient_id
   where x.outcome in ('retry', 'release', 'postpone') and r.status = 'queued' and r.message_id is null
     and m.campaign_id = r.campaign_id and m.lead_id = r.lead_id
     and m.status = 'pending' and m.twilio_sid is null;
  return v_count;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Reconciliation of expired leases (a worker died or lost its connection).
-- ---------------------------------------------------------------------------------------------

/*
 * Expired claims: without a message, back to the queue (nothing reached Twilio); with a message
 * Twilio acknowledged (a status callback linked its sid), sent; with a pending message, handed to
 * this worker under a new claim, to ask Twilio before sending again.
 */
create function private.reconcile_campaign_claims(
  p_now timestamptz, p_limit integer, p_lease_seconds integer, p_dealership_ids uuid[] default null
)
returns table (
  recipient_id bigint, claim_token uuid, campaign_id uuid, dealership_id uuid, message_id uuid,
  message_created_at timestamptz, body_enc text, lead jsonb, from_number text, messaging_service_sid text
)
language plpgsql volatile security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  v_token uuid := gen_random_uuid();
begin
  update public.campaign_recipients r
     set status = 'queued', claim_token = null, claimed_at = null, lease_expires_at = null,
         next_attempt_at = least(r.next_attempt_at, p_now), updated_at = now()
   where r.status = 'sending' and r.lease_expires_at < now() and r.message_id is null
     and (p_dealership_ids is null or r.dealership_id = any (p_dealership_ids));

  update public.campaign_recipients r
     set status = case m.status when 'delivered' then 'delivered' when 'undelivered' then 'failed'
                                when 'failed' then 'failed' else 'sent' end::public.campaign_recipient_status,
         claim_token = null, claimed_at = null, lease_expires_at = null, updated_at = now()
    from public.messages m
   where m.id = r.message_id and r.status = 'sending' and r.lease_expires_at < now() and m.twilio_sid is not null
     and (p_dealership_ids is null or r.dealership_id = any (p_dealership_ids));

  return query
  with expired as (
    select r.id from public.campaign_recipients r
     where r.status = 'sending' and r.lease_expires_at < now() and r.message_id is not null
       and (p_dealership_ids is null or r.dealership_id = any (p_dealership_ids))
     order by r.lease_expires_at
     limit least(greatest(p_limit, 1), 1000)
     for update of r skip locked
  ), taken as (
    update public.campaign_recipients r
       set claim_token = v_token, lease_expires_at = now() + make_interval(secs => p_lease_seconds), updated_at = now()
      from expired e where r.id = e.id
    returning r.id, r.campaign_id, r.dealership_id, r.message_id, r.lead_id
  )
  select t.id, v_token, t.campaign_id, t.dealership_id, t.message_id, m.created_at, m.body_enc, to_jsonb(l.*),
         s.phone_number, s.messaging_service_sid
    from taken t
    join public.messages m on m.id = t.message_id
    join public.leads l on l.id = t.lead_id
    join public.campaigns c on c.id = t.campaign_id
    left join public.sending_numbers s on s.id = c.sending_number_id;
end
$$;

/* Pause a campaign by itself (failure, filtering or opt-out rates; a refused sender); audited. */
create function private.auto_pause_campaign(p_campaign_id uuid, p_reason text, p_metric text)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_dealership uuid;
begin
  if p_reason is null or btrim(p_reason) = '' or p_metric !~ '^[a-z_]{1,40}$' then
    raise exception 'a reason is required' using errcode = '22023';
  end if;
  update public.campaigns c
     set status = 'paused', paused_at = now(), pause_reason = left(p_reason, 500)
   where c.id = p_campaign_id and c.status in ('sending', 'scheduled')
  returning c.dealership_id into v_dealership;
  if v_dealership is null then
    return false;
  end if;
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  values (v_dealership, 'campaign.auto_paused', 'campaign', p_campaign_id::text, jsonb_build_object('metric', p_metric));
  return true;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Attribution: a reply or an opt-out within 30 days of a campaign message counts for the latest
-- campaign that texted the lead (messages.campaign_id, campaign_recipients.replied_at /
-- opted_out_at), whatever path stored it.
-- ---------------------------------------------------------------------------------------------

/* BEFORE INSERT on messages (inbound): the campaign the reply answers. */
create function private.attribute_campaign_reply() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_recipient bigint;
begin
  select r.id, r.campaign_id into v_recipient, new.campaign_id
    from public.campaign_recipients r
   where r.lead_id = new.lead_id and r.status in ('sent', 'delivered', 'failed') and r.message_id is not null
     and r.sent_at > now() - interval '30 days'
   order by r.sent_at desc
   limit 1;
  if v_recipient is not null then
    update public.campaign_recipients r set replied_at = now(), updated_at = now()
     where r.id = v_recipient and r.replied_at is null;
  end if;
  return new;
end
$$;
revoke all on function private.attribute_campaign_reply() from public;
create trigger messages_attribute_campaign_reply before insert on public.messages
  for each row when (new.direction = 'inbound' and new.campaign_id is null)
  execute function private.attribute_campaign_reply();

/* AFTER UPDATE OF consent_status on leads (to opted out): the campaign the opt-out answers. */
create function private.attribute_campaign_opt_out() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.campaign_recipients r set opted_out_at = now(), updated_at = now()
   where r.id = (select h.id from public.campaign_recipients h
                  where h.lead_id = new.id and h.status in ('sent', 'delivered') and h.sent_at > now() - interval '30 days'
                  order by h.sent_at desc limit 1)
     and r.opted_out_at is null;
  return null;
end
$$;
revoke all on function private.attribute_campaign_opt_out() from public;
create trigger leads_attribute_campaign_opt_out after update of consent_status on public.leads
  for each row when (new.consent_status = 'opted_out' and old.consent_status <> 'opted_out')
  execute function private.attribute_campaign_opt_out();

-- ---------------------------------------------------------------------------------------------
-- Status callbacks update the queue: delivered, or failed with the reason (the app classifies
-- Twilio's ErrorCode: lib/campaigns/twilio-errors.ts) and the phone marked for a landline or an
-- invalid number. Same rules as before for the message (terminal stays terminal; 21610 opts out).
-- ---------------------------------------------------------------------------------------------
drop function private.apply_status_callback(uuid, text, text, integer);

/* Apply one delivery status; no row when the message is unknown, applied = false when ignored. */
create function private.apply_status_callback(
  p_message_id uuid,
  p_twilio_sid text,
  p_status text,
  p_error_code integer,
  p_failure_kind text default null,
  p_phone_mark text default null
)
returns table (message_id uuid, status public.message_status, applied boolean)
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_lead uuid;
  v_before public.message_status;
  v_after public.message_status;
begin
  if p_status is null or p_status not in ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled') then
    raise exception 'not a delivery status' using errcode = '22023';
  end if;
  if p_failure_kind not in ('permanent', 'opt_out', 'retryable', 'carrier_filtered', 'fatal')
     or p_phone_mark not in ('invalid', 'landline', 'not_sms_capable', 'unreachable') then
    raise exception 'unknown failure kind or phone mark' using errcode = '22023';
  end if;
  select m.id, m.lead_id, m.status into v_id, v_lead, v_before
    from public.messages m
   where m.direction = 'outbound'
     and (m.twilio_sid = p_twilio_sid or (m.id = p_message_id and m.twilio_sid is null))
   limit 1
   for update;
  if v_id is null then
    return;
  end if;
  update public.messages m
     set status = p_status::public.message_status, error_code = coalesce(p_error_code, m.error_code),
         twilio_sid = coalesce(m.twilio_sid, p_twilio_sid)
   where m.id = v_id
  returning m.status into v_after;
  if v_after is distinct from v_before and p_error_code = 21610 then
    perform private.opt_out_lead(v_lead, 'twilio_error_21610');
  end if;

  -- The campaign row of this message, if any: Twilio has the message, so the claim is over.
  update public.campaign_recipients r
     set status = case when v_after = 'delivered' then 'delivered'
                       when v_after in ('undelivered', 'failed', 'canceled') then 'failed'
                       else 'sent' end::public.campaign_recipient_status,
         delivered_at = case when v_after = 'delivered' then coalesce(r.delivered_at, now()) else r.delivered_at end,
         error_code = coalesce(p_error_code, r.error_code),
         failure_kind = case when v_after in ('undelivered', 'failed', 'canceled')
                             then coalesce(p_failure_kind, 'permanent') else r.failure_kind end,
         claim_token = null, claimed_at = null, lease_expires_at = null, updated_at = now()
   where r.message_id = v_id and r.status in ('sending', 'sent');
  if v_after in ('undelivered', 'failed') and p_phone_mark is not null then
    update public.leads l set phone_mark = p_phone_mark, phone_mark_code = p_error_code, phone_marked_at = now()
     where l.id = v_lead and l.phone_mark is distinct from p_phone_mark;
  end if;
  return query select v_id, v_after, v_after is distinct from v_before;
end
$$;
revoke all on function private.apply_status_callback(uuid, text, text, integer, text, text) from public;
grant execute on function private.apply_status_callback(uuid, text, text, integer, text, text) to sms_webhook;

-- ---------------------------------------------------------------------------------------------
-- Grants: the worker's functions to sms_sender, and nothing else.
-- ---------------------------------------------------------------------------------------------
revoke all on function private.campaign_worker_tick(timestamptz, uuid[]) from public;
revoke all on function private.campaign_send_context(uuid) from public;
revoke all on function private.claim_campaign_recipients(uuid, timestamptz, integer, integer) from public;
revoke all on function private.reserve_campaign_send_slots(uuid, integer, numeric, timestamptz) from public;
revoke all on function private.record_campaign_messages(uuid, timestamptz, jsonb) from public;
revoke all on function private.record_campaign_results(uuid, timestamptz, jsonb) from public;
revoke all on function private.reconcile_campaign_claims(timestamptz, integer, integer, uuid[]) from public;
revoke all on function private.auto_pause_campaign(uuid, text, text) from public;
grant execute on function private.campaign_worker_tick(timestamptz, uuid[]) to sms_sender;
grant execute on function private.campaign_send_context(uuid) to sms_sender;
grant execute on function private.claim_campaign_recipients(uuid, timestamptz, integer, integer) to sms_sender;
grant execute on function private.reserve_campaign_send_slots(uuid, integer, numeric, timestamptz) to sms_sender;
grant execute on function private.record_campaign_messages(uuid, timestamptz, jsonb) to sms_sender;
grant execute on function private.record_campaign_results(uuid, timestamptz, jsonb) to sms_sender;
grant execute on function private.reconcile_campaign_claims(timestamptz, integer, integer, uuid[]) to sms_sender;
grant execute on function private.campaign_outcomes(uuid) to sms_sender;
grant execute on function private.auto_pause_campaign(uuid, text, text) to sms_sender;
