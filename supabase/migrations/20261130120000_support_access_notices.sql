set lock_timeout = '5s';
set statement_timeout = '60s';

-- Support access e-mails (issue 15 item 4, follow-up): when an operator asks a dealership for
-- support access, and when an owner grants it, the dealership's owners get an e-mail, so nobody
-- has to sign in to learn that someone is waiting (or now reading). The app reads what the e-mail
-- says through one definer function, as its own NOLOGIN role `support_notifier`, which may do
-- nothing else: it reads no table, and it learns owners' addresses only for a request that exists.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'support_notifier') then
    create role support_notifier nologin noinherit;
  end if;
end
$$;
grant usage on schema private to support_notifier;
grant support_notifier to postgres;

/*
 * What the e-mails about one request say, one row per owner to tell: the dealership's name and
 * time zone, the asking operator (display name and e-mail), the reason, the request's status and,
 * once granted, who granted it (display name) and until when. Owners with a confirmed address only; neither the
 * operator (should they also own the dealership) nor the owner who granted it is told what they
 * did themselves. No row for an unknown request.
 */
create function private.support_request_notice(p_request_id uuid)
returns table (
  owner_email text, dealership_name text, dealership_timezone text, operator_name text,
  operator_email text, reason text, status text, decided_by_name text, expires_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select o.email::text, d.name, d.timezone, coalesce(op.raw_user_meta_data ->> 'display_name', split_part(op.email::text, '@', 1)),
         op.email::text, r.reason, r.status,
         coalesce(dec.raw_user_meta_data ->> 'display_name', split_part(dec.email::text, '@', 1)), r.expires_at
    from public.support_access_requests r
    join public.dealerships d on d.id = r.dealership_id
    left join auth.users op on op.id = r.operator_user_id
    left join auth.users dec on dec.id = r.decided_by
    join public.memberships m on m.dealership_id = r.dealership_id and m.role = 'owner'
    join auth.users o on o.id = m.user_id
   where r.id = p_request_id
     and o.email is not null and o.email_confirmed_at is not null
     and m.user_id <> r.operator_user_id
     and m.user_id is distinct from r.decided_by
   order by o.email
$$;
revoke all on function private.support_request_notice(uuid) from public, anon, authenticated;
grant execute on function private.support_request_notice(uuid) to support_notifier;
