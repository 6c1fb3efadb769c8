set lock_timeout = '5s';
set statement_timeout = '60s';

-- Outcome export back to the CRM (issue 11, item 2). Same shape as the data export
-- (20261130050100): the user's request is checked and audited by a definer function
-- (public.record_outcome_export: data.export, a re-authentication within 5 minutes), then the
-- rows are read by the NOLOGIN `exporter` role through one more narrow function
-- (private.export_lead_outcomes), and decrypted and written as CSV by the app
-- (lib/export/outcome-export.ts).

/*
 * Record that the current user exports the leads' outcomes, and choose the column mapping that
 * names the identifying columns: the saved mapping p_mapping_id (it must be this dealership's),
 * or, when null, the dealership's most recently saved mapping (none: an empty object).
 * Refuses without data.export or a recent re-authentication (RL040); an unknown mapping is RL090.
 * Returns { mapping_id, mapping } (mapping: header -> lead field, names only, never values).
 */
create function public.record_outcome_export(p_dealership_id uuid, p_mapping_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_id uuid;
  v_mapping jsonb;
begin
  if (select auth.uid()) is null or not private.has_permission(p_dealership_id, 'data.export') then
    raise exception 'your role does not allow this' using errcode = '42501';
  end if;
  perform private.require_recent_auth();
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
          jsonb_build_object('mapping_id', v_id));
  return jsonb_build_object('mapping_id', v_id, 'mapping', coalesce(v_mapping, '{}'::jsonb));
end
$$;
revoke all on function public.record_outcome_export(uuid, uuid) from public, anon;
grant execute on function public.record_outcome_export(uuid, uuid) to authenticated;

/*
 * Every lead of one dealership with its outcome, for the exporter role: the lead's envelopes (the
 * record and the legacy per-field columns; the app decrypts them), status, consent, whether its
 * number is on the do-not-contact list, the reply triage's suppression, appointment and follow-up,
 * the assigned rep, the latest inbound reply (its envelope, time and intent) and the campaign that
 * last sent to the lead. No blind index, token or hash leaves. Oldest lead first.
 */
create function private.export_lead_outcomes(p_dealership_id uuid)
returns table (
  id uuid,
  pii_enc text,
  first_name_enc text,
  last_name_enc text,
  phone_enc text,
  email_enc text,
  vehicle_year_enc text,
  vehicle_make_enc text,
  vehicle_model_enc text,
  vehicle_trim_enc text,
  vehicle_vin_enc text,
  notes_enc text,
  status text,
  consent_status text,
  on_do_not_contact boolean,
  campaign_suppression text,
  appointment_at timestamptz,
  follow_up_at timestamptz,
  assigned_rep text,
  last_reply_id uuid,
  last_reply_body_enc text,
  last_reply_at timestamptz,
  last_reply_intent text,
  last_campaign text,
  last_campaign_sent_at timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select l.id, l.pii_enc, l.first_name_enc, l.last_name_enc, l.phone_enc, l.email_enc, l.vehicle_year_enc,
         l.vehicle_make_enc, l.vehicle_model_enc, l.vehicle_trim_enc, l.vehicle_vin_enc, l.notes_enc,
         l.status::text, l.consent_status::text,
         exists (select 1 from public.do_not_contact d
                  where d.dealership_id = l.dealership_id and d.phone_bidx = l.phone_bidx),
         l.campaign_suppression, l.appointment_at, l.follow_up_at,
         (select coalesce(u.raw_user_meta_data ->> 'display_name', split_part(u.email::text, '@', 1))
            from auth.users u where u.id = l.assigned_to),
         r.id, r.body_enc, r.created_at, r.intent::text,
         k.name, k.sent_at
  from public.leads l
  left join public.conversations c on c.lead_id = l.id
  left join lateral (
    select m.id, m.body_enc, m.created_at, m.intent
    from public.messages m
    where m.conversation_id = c.id and m.direction = 'inbound'
    order by m.created_at desc, m.id desc
    limit 1
  ) r on true
  left join lateral (
    select g.name, cr.sent_at
    from public.campaign_recipients cr
    join public.campaigns g on g.id = cr.campaign_id
    where cr.lead_id = l.id and cr.sent_at is not null
    order by cr.sent_at desc
    limit 1
  ) k on true
  where l.dealership_id = p_dealership_id
  order by l.created_at, l.id
$$;
revoke all on function private.export_lead_outcomes(uuid) from public, anon, authenticated;
grant execute on function private.export_lead_outcomes(uuid) to exporter;
