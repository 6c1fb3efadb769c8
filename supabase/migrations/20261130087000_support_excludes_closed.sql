set lock_timeout = '5s';
set statement_timeout = '60s';

-- Support access ends with the dealership: a closed dealership (20261130085000_dealership_closure)
-- is out of reach of its own members at once, and a grant given before the closure must not
-- outlive that. Same body as in 20261130086000_support_access.sql plus the closure check.
create or replace function private.support_dealership_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select r.dealership_id
  from public.support_access_requests r
  join public.dealerships d on d.id = r.dealership_id
  where r.operator_user_id = (select auth.uid())
    and r.status = 'granted'
    and r.revoked_at is null
    and r.expires_at > now()
    and d.closed_at is null
    -- A JWT read first: for members (every tenant query runs this policy too) it ends the check.
    and (select private.is_platform_operator())
    and (select private.has_platform_permission('platform.support.request'))
    and (select private.session_meets_assurance())
$$;
