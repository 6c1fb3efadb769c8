-- Onboarding: a dealership is pending until a platform operator approves it, and can be
-- suspended (data kept). Only an active dealership sends: a trigger on public.messages refuses
-- every outbound row of a dealership that is not active (queue_outbound_message's reply and the
-- campaign worker's record_campaign_messages insert through it, so the check is in the same
-- statement as the send), and the campaign claim takes no recipients while it is not active. The
-- compliance auto-replies to STOP/HELP (auto_reply) still go: an opt-out must be confirmed.
-- Existing dealerships are active; the column defaults to active so fixtures and the demo seed
-- keep working, and onboarding (private.onboard_dealership) creates them pending explicitly.
set lock_timeout = '5s';
set statement_timeout = '60s';

create type public.dealership_status as enum ('pending', 'active', 'suspended');
alter table public.dealerships add column status public.dealership_status not null default 'active';
-- Members may read it (dealerships_select) but not change it: the column is not in the update grant.

/* Refuse an outbound message (other than a compliance auto-reply) of a dealership that is not active. */
create function private.refuse_send_unless_active() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.direction = 'outbound' and not new.auto_reply then
    -- FOR SHARE: a suspension waits for this send's transaction, and no send starts after it commits.
    perform 1 from public.dealerships d where d.id = new.dealership_id and d.status = 'active' for share;
    if not found then
      raise exception 'dealership is not active' using errcode = 'RL070';
    end if;
  end if;
  return new;
end
$$;
revoke all on function private.refuse_send_unless_active() from public, anon, authenticated;
create trigger messages_refuse_unless_active before insert on public.messages
  for each row execute function private.refuse_send_unless_active();

-- The worker's claim: the original becomes the unchecked body; the name the worker calls checks
-- the dealership's status first (FOR SHARE: a suspension waits for a claim in flight, and no claim
-- starts after it commits).
alter function private.claim_campaign_recipients(uuid, timestamptz, integer, integer)
  rename to claim_campaign_recipients_unchecked;
revoke all on function private.claim_campaign_recipients_unchecked(uuid, timestamptz, integer, integer) from public, sms_sender;

/* Claim due rows of a sending campaign, only while its dealership is active. */
create function private.claim_campaign_recipients(p_campaign_id uuid, p_now timestamptz, p_limit integer, p_lease_seconds integer)
returns table (
  recipient_id bigint, lead_id uuid, attempts integer, claim_token uuid, lead jsonb, rep_name text,
  first_message boolean, history jsonb
)
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform 1 from public.campaigns c join public.dealerships d on d.id = c.dealership_id
   where c.id = p_campaign_id and d.status = 'active'
   for share of d;
  if not found then
    return;
  end if;
  return query select * from private.claim_campaign_recipients_unchecked(p_campaign_id, p_now, p_limit, p_lease_seconds);
end
$$;
revoke all on function private.claim_campaign_recipients(uuid, timestamptz, integer, integer) from public, anon, authenticated;
grant execute on function private.claim_campaign_recipients(uuid, timestamptz, integer, integer) to sms_sender;

-- ---------------------------------------------------------------------------------------------
-- platform_admin: the NOLOGIN role the platform CLI (npm run platform) runs as. It may only
-- onboard and change a dealership's status through these functions; it reads no tenant table.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'platform_admin') then
    create role platform_admin nologin noinherit;
  end if;
end
$$;
grant usage on schema private to platform_admin;
grant platform_admin to postgres;

/*
 * Create a pending dealership and an open owner invitation for p_owner_email; returns the id.
 * Audited in the new dealership's log (no actor user: the platform did it).
 */
create function private.onboard_dealership(p_name text, p_owner_email text, p_timezone text, p_default_region text)
returns uuid
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_email text := lower(btrim(coalesce(p_owner_email, '')));
  v_id uuid;
begin
  if v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 255 then
    raise exception 'not an e-mail address' using errcode = '22023';
  end if;
  insert into public.dealerships (name, timezone, default_region, status)
  values (btrim(p_name), coalesce(p_timezone, 'America/New_York'), coalesce(p_default_region, 'US'), 'pending')
  returning id into v_id;
  insert into public.invitations (dealership_id, email, role, invited_by, expires_at)
  values (v_id, v_email, 'owner', null, now() + private.invitation_ttl());
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  values (v_id, 'platform.dealership_created', 'dealership', v_id::text, '{}'::jsonb);
  return v_id;
end
$$;

/*
 * Move a dealership from one of p_from to p_status (approve: pending -> active; suspend: pending
 * or active -> suspended; resume: suspended -> active), audited in its log with the actor (an
 * operator's user id, or null for the CLI). Returns false when it is not in one of p_from.
 */
create function private.set_dealership_status(
  p_dealership_id uuid, p_from public.dealership_status[], p_status public.dealership_status, p_actor uuid
)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_from public.dealership_status;
begin
  select d.status into v_from from public.dealerships d where d.id = p_dealership_id for update;
  if v_from is null then
    raise exception 'no such dealership' using errcode = 'RL071';
  end if;
  if not (v_from = any (p_from)) or v_from = p_status or p_status = 'pending' then
    return false;
  end if;
  update public.dealerships d set status = p_status where d.id = p_dealership_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, p_actor, 'platform.dealership_' || p_status::text, 'dealership', p_dealership_id::text,
          jsonb_build_object('from', v_from, 'to', p_status));
  return true;
end
$$;

revoke all on function private.onboard_dealership(text, text, text, text) from public, anon, authenticated;
revoke all on function private.set_dealership_status(uuid, public.dealership_status[], public.dealership_status, uuid) from public, anon, authenticated;
grant execute on function private.onboard_dealership(text, text, text, text) to platform_admin;
grant execute on function private.set_dealership_status(uuid, public.dealership_status[], public.dealership_status, uuid) to platform_admin;
