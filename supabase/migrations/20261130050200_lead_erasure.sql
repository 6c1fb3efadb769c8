set lock_timeout = '5s';
set statement_timeout = '60s';

-- Lead erasure (issue 11, item 3). public.erase_lead deletes a lead for good with everything that
-- hangs off it (conversations, messages, consent events, campaign recipients cascade). If the
-- person had opted out, a tombstone survives: a do-not-contact row with source 'erased_opt_out'
-- and only the phone's blind index (no ciphertext), which the sends, the campaign audience and
-- the import already consult, so a re-imported person who said STOP is never texted. Members
-- cannot remove a tombstone (a removal would undo an opt-out nobody can see any more).
-- Owners and admins (leads.delete) only, after a recent re-authentication; audited.

/* Erase a lead; returns whether an opt-out tombstone was kept. */
create function public.erase_lead(p_lead_id uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead record;
  v_messages bigint;
  v_tombstone boolean;
begin
  select l.id, l.dealership_id, l.phone_bidx, l.consent_status into v_lead
  from public.leads l where l.id = p_lead_id for update;
  if (select auth.uid()) is null or v_lead.id is null
     or not private.has_permission(v_lead.dealership_id, 'leads.delete') then
    raise exception 'lead not found' using errcode = 'P0002';
  end if;
  perform private.require_recent_auth();

  v_tombstone := v_lead.consent_status = 'opted_out' and v_lead.phone_bidx is not null;
  if v_tombstone then
    insert into public.do_not_contact (dealership_id, phone_bidx, phone_enc, source, created_by)
    values (v_lead.dealership_id, v_lead.phone_bidx, null, 'erased_opt_out', (select auth.uid()))
    on conflict (dealership_id, phone_bidx) do nothing;
  end if;
  select count(*) into v_messages from public.messages m where m.lead_id = p_lead_id;
  delete from public.leads l where l.id = p_lead_id;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_lead.dealership_id, (select auth.uid()), 'lead.erased', 'lead', p_lead_id::text,
          jsonb_build_object('messages', v_messages, 'opt_out_tombstone', v_tombstone));
  return v_tombstone;
end
$$;
revoke all on function public.erase_lead(uuid) from public, anon;
grant execute on function public.erase_lead(uuid) to authenticated;

/* BEFORE DELETE on do_not_contact: a member may not remove an erased person's opt-out tombstone. */
create function private.keep_erasure_tombstones() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.source = 'erased_opt_out' and (select auth.uid()) is not null then
    raise exception 'this number belongs to an erased person who opted out; it stays on the list' using errcode = 'RL080';
  end if;
  return old;
end
$$;
revoke all on function private.keep_erasure_tombstones() from public;
create trigger do_not_contact_keep_tombstones before delete on public.do_not_contact
  for each row execute function private.keep_erasure_tombstones();
