set lock_timeout = '5s';
set statement_timeout = '60s';

-- Export during the 30 days of a closure (issue 11 follow-up). "You can export all your dealership
-- data at any time": an owner of a closed dealership downloads the same export (and the outcome
-- CSV) from /closed, without reopening it. The membership helpers leave closed dealerships out,
-- so the normal record functions refuse; these two re-check the closure's own rule instead (the
-- caller's membership role holds dealership.close, as for reopening), the recent
-- re-authentication, and that the dealership is still closed and not past purge_after, then write
-- the same audit rows with `closed_account: true`. The rows are then read by the `exporter` role
-- exactly as for an open dealership (lib/export). After the purge the membership is gone, so the
-- caller is refused like a stranger.

/*
 * Refuse unless the current user may export the closed dealership p_dealership_id: a membership
 * whose role holds dealership.close (42501 otherwise, the same answer as for a dealership the
 * caller never belonged to), a session meeting assurance, a re-authentication within 5 minutes
 * (RL040), the dealership still closed (RL111) and its purge date not reached (RL110). Locks the
 * dealership row FOR SHARE, so a reopening or a purge waits for the caller's transaction.
 */
create function private.require_closed_dealership_export(p_dealership_id uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_d record;
begin
  if (select auth.uid()) is null or not (select private.session_meets_assurance()) or not exists (
       select 1 from public.memberships m
       join private.role_permissions rp on rp.role = m.role and rp.permission = 'dealership.close'
       where m.dealership_id = p_dealership_id and m.user_id = (select auth.uid())) then
    raise exception 'not allowed to export this dealership' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
  select d.closed_at, d.purge_after into v_d from public.dealerships d where d.id = p_dealership_id for share;
  if v_d.closed_at is null then
    raise exception 'this dealership is not closed' using errcode = 'RL111';
  end if;
  if now() >= v_d.purge_after then
    raise exception 'this dealership is being deleted' using errcode = 'RL110';
  end if;
end
$$;
revoke all on function private.require_closed_dealership_export(uuid) from public, anon, authenticated;

/*
 * Record that the current user exports a closed dealership's data (see
 * private.require_closed_dealership_export for who may); writes `data.exported` with the format
 * and `closed_account: true`.
 */
create function public.record_closed_dealership_export(p_dealership_id uuid, p_format text) returns void
language plpgsql volatile security definer set search_path = ''
as $$
begin
  perform private.require_closed_dealership_export(p_dealership_id);
  if p_format is null or p_format not in ('csv', 'json') then
    raise exception 'unknown export format' using errcode = '22023';
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, metadata)
  values (p_dealership_id, (select auth.uid()), 'data.exported', 'dealership',
          jsonb_build_object('format', p_format, 'closed_account', true));
end
$$;

/*
 * The outcome export of a closed dealership: the same rules, the mapping chosen as
 * public.record_outcome_export does (p_mapping_id of this dealership, RL090 otherwise; null: the
 * most recently saved one), audited as `data.outcomes_exported` with `closed_account: true`.
 * Returns { mapping_id, mapping }.
 */
create function public.record_closed_dealership_outcome_export(p_dealership_id uuid, p_mapping_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_mapping jsonb;
begin
  perform private.require_closed_dealership_export(p_dealership_id);
  if p_mapping_id is not null then
    select m.id, m.mapping into v_id, v_mapping
    from public.import_mappings m where m.id = p_mapping_id and m.dealership_id = p_dealership_id;
    if v_id is null then
      raise exception 'no such saved mapping' using errcode = 'RL090';
    end if;
  else
    select m.id, m.mapping into v_id, v_mapping
    from public.import_mappings m where m.dealership_id = p_dealership_id
    order by m.updated_at desc, m.id desc limit 1;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, metadata)
  values (p_dealership_id, (select auth.uid()), 'data.outcomes_exported', 'dealership',
          jsonb_build_object('mapping_id', v_id, 'closed_account', true));
  return jsonb_build_object('mapping_id', v_id, 'mapping', coalesce(v_mapping, '{}'::jsonb));
end
$$;

revoke all on function public.record_closed_dealership_export(uuid, text) from public, anon;
revoke all on function public.record_closed_dealership_outcome_export(uuid, uuid) from public, anon;
grant execute on function public.record_closed_dealership_export(uuid, text) to authenticated;
grant execute on function public.record_closed_dealership_outcome_export(uuid, uuid) to authenticated;
