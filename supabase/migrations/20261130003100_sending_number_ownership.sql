set lock_timeout = '5s';
set statement_timeout = '60s';

-- Sending numbers only from the platform's own Twilio account, never another dealership's.
--
-- Inbound texts are routed to a dealership by the number (or Messaging Service) they arrive on,
-- so whoever registers a number receives its texts. Before this, any owner or admin could insert
-- any unregistered number, including one inside another dealership's Messaging Service pool.
--
-- Now:
-- * What the platform's Twilio account owns is recorded here by the server after it asked Twilio
--   (IncomingPhoneNumbers, and each Messaging Service with its pool). Only the NOLOGIN role
--   twilio_inventory can write it, through the functions below; no JWT can reach that role.
-- * Users no longer insert sending_numbers directly. public.register_sending_number() does it:
--   owners and admins only, only an address Twilio confirmed in the last 10 minutes, never a
--   number inside another dealership's registered Messaging Service, never a service whose pool
--   holds another dealership's number. It writes its own audit event.
-- * Registrations are serialized, so two dealerships cannot claim overlapping pools at once.

-- ---------------------------------------------------------------------------------------------
-- The platform's Twilio inventory, as last read through the API (business numbers, not PII).
-- ---------------------------------------------------------------------------------------------
create table private.twilio_phone_numbers (
  phone_number text primary key check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  verified_at timestamptz not null
);

create table private.twilio_messaging_services (
  messaging_service_sid text primary key check (messaging_service_sid ~ '^MG[0-9a-f]{32}$'),
  verified_at timestamptz not null
);

-- The numbers in each service's pool (a Twilio number belongs to at most one service; the last
-- reading of each service is kept, so a stale reading errs towards refusing).
create table private.twilio_service_numbers (
  messaging_service_sid text not null references private.twilio_messaging_services (messaging_service_sid) on delete cascade,
  phone_number text not null check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  primary key (messaging_service_sid, phone_number)
);
create index twilio_service_numbers_phone_idx on private.twilio_service_numbers (phone_number);

alter table private.twilio_phone_numbers enable row level security;
alter table private.twilio_messaging_services enable row level security;
alter table private.twilio_service_numbers enable row level security;
revoke all on private.twilio_phone_numbers, private.twilio_messaging_services, private.twilio_service_numbers
  from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------
-- The role that records what Twilio said (lib/sms/twilio-inventory-db.ts switches to it with
-- `set local role twilio_inventory`). Like sms_webhook: NOLOGIN, owns nothing, no table grants,
-- a member of postgres only, and may execute only the three functions below.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'twilio_inventory') then
    create role twilio_inventory nologin noinherit;
  end if;
end
$$;
grant twilio_inventory to postgres;
grant usage on schema private to twilio_inventory;

/* Record that the platform's Twilio account has this number (as just read from Twilio). */
create function private.record_twilio_phone_number(p_phone_number text) returns void
language sql volatile security definer set search_path = ''
as $$
  insert into private.twilio_phone_numbers as t (phone_number, verified_at)
  values (p_phone_number, now())
  on conflict (phone_number) do update set verified_at = excluded.verified_at
$$;

/* Record a Messaging Service of the platform's account and its pool (replacing the last reading). */
create function private.record_twilio_messaging_service(p_messaging_service_sid text, p_phone_numbers text[]) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  insert into private.twilio_messaging_services as t (messaging_service_sid, verified_at)
  values (p_messaging_service_sid, now())
  on conflict (messaging_service_sid) do update set verified_at = excluded.verified_at;
  delete from private.twilio_service_numbers n where n.messaging_service_sid = p_messaging_service_sid;
  insert into private.twilio_service_numbers (messaging_service_sid, phone_number)
  select distinct p_messaging_service_sid, u.n from unnest(coalesce(p_phone_numbers, '{}')) as u (n)
  where u.n is not null;
end
$$;

/* Every Messaging Service some dealership registered (the server re-reads their pools from Twilio). */
create function private.registered_messaging_service_sids() returns setof text
language sql stable security definer set search_path = ''
as $$
  select s.messaging_service_sid from public.sending_numbers s where s.messaging_service_sid is not null order by 1
$$;

revoke all on function private.record_twilio_phone_number(text) from public;
revoke all on function private.record_twilio_messaging_service(text, text[]) from public;
revoke all on function private.registered_messaging_service_sids() from public;
grant execute on function private.record_twilio_phone_number(text) to twilio_inventory;
grant execute on function private.record_twilio_messaging_service(text, text[]) to twilio_inventory;
grant execute on function private.registered_messaging_service_sids() to twilio_inventory;

-- ---------------------------------------------------------------------------------------------
-- Registering: the only way a user adds a sending number.
-- ---------------------------------------------------------------------------------------------
revoke insert on public.sending_numbers from authenticated;
drop policy sending_numbers_insert on public.sending_numbers;

/*
 * Register a number (E.164) or a Messaging Service for a dealership; returns its id.
 * RL020: Twilio has not confirmed the platform owns it (in the last 10 minutes).
 * RL021: it belongs to another dealership's Messaging Service, or the service holds another
 * dealership's number. 23505: already registered. 42501: not an owner or admin there.
 */
create function public.register_sending_number(
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
     or not private.has_role_on_dealership(p_dealership_id, array['owner', 'admin']::public.membership_role[]) then
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
revoke all on function public.register_sending_number(uuid, text, text, text) from public, anon;
grant execute on function public.register_sending_number(uuid, text, text, text) to authenticated;
