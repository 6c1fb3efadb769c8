-- Audit log: append-only. Users never write it directly; record_audit_event() stamps the actor
-- from the verified JWT and checks membership. Owners and admins read it. Metadata never holds PII.

create table public.audit_events (
  id bigint generated always as identity primary key,
  dealership_id uuid not null references public.dealerships (id) on delete cascade,
  actor_user_id uuid references auth.users (id) on delete set null,
  action text not null check (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$' and char_length(action) <= 64),
  target_type text check (char_length(target_type) <= 64),
  target_id text check (char_length(target_id) <= 128),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object' and pg_column_size(metadata) <= 8192),
  created_at timestamptz not null default now()
);

create index audit_events_dealership_created_idx on public.audit_events (dealership_id, created_at desc, id desc);

alter table public.audit_events enable row level security;
revoke all on public.audit_events from anon, authenticated;
grant select on public.audit_events to authenticated;

create policy audit_events_select on public.audit_events for select to authenticated
  using (dealership_id in (select private.dealership_ids_for_current_user(array['owner', 'admin']::public.membership_role[])));

/* Append an audit event for the current user in a dealership they belong to; returns its id. */
create function public.record_audit_event(
  p_dealership_id uuid,
  p_action text,
  p_target_type text default null,
  p_target_id text default null,
  p_metadata jsonb default '{}'::jsonb
) returns bigint
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id bigint;
begin
  if (select auth.uid()) is null or not private.has_role_on_dealership(p_dealership_id) then
    raise exception 'not a member of this dealership' using errcode = '42501';
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (p_dealership_id, (select auth.uid()), p_action, p_target_type, p_target_id, coalesce(p_metadata, '{}'::jsonb))
  returning id into v_id;
  return v_id;
end
$$;
revoke all on function public.record_audit_event(uuid, text, text, text, jsonb) from public, anon;
grant execute on function public.record_audit_event(uuid, text, text, text, jsonb) to authenticated;
