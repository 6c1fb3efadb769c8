set lock_timeout = '5s';
set statement_timeout = '60s';

-- What a signed-in user may write directly (issue 8, finding 8). The Data API lets any member
-- insert and update leads with their own token, so the database itself refuses anything that is
-- not shaped like what lib/crypto writes:
--   envelope     v1.<key id: 1-32 of A-Za-z0-9_->.<IV: 16 base64url chars = 12 bytes>.<ciphertext+tag: >= 22 chars = 16 bytes>
--   blind index  43 base64url chars (HMAC-SHA256)
-- A well-formed envelope that still fails to decrypt (bound to another row, an unknown key) cannot
-- be told apart here; the app shows that one field as unreadable and reports it
-- (public.report_lead_decrypt_failure below), and every other field and row still renders.

-- ---------------------------------------------------------------------------------------------
-- Existing values that are not envelopes were never written by the app and can never be
-- decrypted: cleared, with an audit event naming the columns (never the value) per lead.
-- ---------------------------------------------------------------------------------------------
do $$
declare
  v_envelope constant text := '^v1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$';
  v_bidx constant text := '^[A-Za-z0-9_-]{43}$';
  v_col text;
begin
  create temporary table malformed_lead_fields (lead_id uuid, dealership_id uuid, col text) on commit drop;
  foreach v_col in array array['first_name_enc', 'last_name_enc', 'phone_enc', 'email_enc', 'vehicle_year_enc',
    'vehicle_make_enc', 'vehicle_model_enc', 'vehicle_trim_enc', 'vehicle_vin_enc', 'notes_enc'] loop
    execute format('insert into malformed_lead_fields select id, dealership_id, %L from public.leads where %I !~ %L', v_col, v_col, v_envelope);
    execute format('update public.leads set %I = null where %I !~ %L', v_col, v_col, v_envelope);
  end loop;
  foreach v_col in array array['phone_bidx', 'email_bidx', 'full_name_bidx'] loop
    execute format('insert into malformed_lead_fields select id, dealership_id, %L from public.leads where %I !~ %L', v_col, v_col, v_bidx);
    execute format('update public.leads set %I = null where %I !~ %L', v_col, v_col, v_bidx);
  end loop;
  insert into public.audit_events (dealership_id, action, target_type, target_id, metadata)
  select dealership_id, 'lead.malformed_field_cleared', 'lead', lead_id::text, jsonb_build_object('columns', string_agg(col, ',' order by col))
  from malformed_lead_fields group by dealership_id, lead_id;

  update public.do_not_contact set phone_enc = null where phone_enc !~ v_envelope;
  update public.lead_imports set file_name_enc = null where file_name_enc !~ v_envelope;

  -- One check per column, so a refusal names the column.
  alter table public.leads drop constraint leads_envelopes_shape;
  foreach v_col in array array['first_name_enc', 'last_name_enc', 'phone_enc', 'email_enc', 'vehicle_year_enc',
    'vehicle_make_enc', 'vehicle_model_enc', 'vehicle_trim_enc', 'vehicle_vin_enc', 'notes_enc'] loop
    execute format('alter table public.leads add constraint %I check (%I ~ %L and char_length(%I) <= 12000)',
      'leads_' || v_col || '_envelope', v_col, v_envelope, v_col);
  end loop;
  foreach v_col in array array['phone_bidx', 'email_bidx', 'full_name_bidx'] loop
    execute format('alter table public.leads add constraint %I check (%I ~ %L)', 'leads_' || v_col || '_shape', v_col, v_bidx);
  end loop;
  execute format('alter table public.do_not_contact add constraint do_not_contact_phone_enc_envelope check (phone_enc ~ %L)', v_envelope);
  execute format('alter table public.lead_imports add constraint lead_imports_file_name_enc_envelope check (file_name_enc ~ %L)', v_envelope);
end
$$;

-- Audit look-ups by target (the de-duplication below, "what happened to this lead").
create index audit_events_target_idx on public.audit_events (dealership_id, target_type, target_id, action)
  where target_id is not null;

-- ---------------------------------------------------------------------------------------------
-- A field that would not decrypt. The app calls this when it meets one; the function checks what
-- it can (the caller sees the lead, the column is an encrypted one, it holds a value, the reason
-- is one of the cipher's) and records it once per stored value, with a fingerprint of the
-- ciphertext (not of any plaintext) so a replaced value is reported again.
-- ---------------------------------------------------------------------------------------------

/* Record (once per stored value) that a lead's field could not be decrypted; true when new. */
create function public.report_lead_decrypt_failure(p_lead_id uuid, p_column text, p_reason text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_lead public.leads;
  v_value text;
  v_fingerprint text;
begin
  if (select auth.uid()) is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  if p_column is null or p_column not in ('first_name_enc', 'last_name_enc', 'phone_enc', 'email_enc', 'vehicle_year_enc',
      'vehicle_make_enc', 'vehicle_model_enc', 'vehicle_trim_enc', 'vehicle_vin_enc', 'notes_enc') then
    raise exception 'not an encrypted column' using errcode = '22023';
  end if;
  if p_reason is null or p_reason not in ('malformed', 'unknown_key', 'authentication_failed') then
    raise exception 'unknown reason' using errcode = '22023';
  end if;
  select l.* into v_lead from public.leads l where l.id = p_lead_id;
  if v_lead.id is null
     or not (private.has_role_on_dealership(v_lead.dealership_id, array['owner', 'admin', 'manager']::public.membership_role[])
             or (coalesce(v_lead.assigned_to = (select auth.uid()), false) and private.has_role_on_dealership(v_lead.dealership_id))) then
    raise exception 'lead not found' using errcode = '42501';
  end if;
  v_value := to_jsonb(v_lead) ->> p_column;
  if v_value is null then
    return false;
  end if;
  v_fingerprint := left(encode(sha256(convert_to(v_value, 'UTF8')), 'hex'), 16);
  if exists (
    select 1 from public.audit_events a
    where a.dealership_id = v_lead.dealership_id and a.target_type = 'lead' and a.target_id = p_lead_id::text
      and a.action = 'lead.decrypt_failed' and a.metadata ->> 'column' = p_column and a.metadata ->> 'fingerprint' = v_fingerprint
  ) then
    return false;
  end if;
  insert into public.audit_events (dealership_id, actor_user_id, action, target_type, target_id, metadata)
  values (v_lead.dealership_id, (select auth.uid()), 'lead.decrypt_failed', 'lead', p_lead_id::text,
          jsonb_build_object('column', p_column, 'reason', p_reason, 'fingerprint', v_fingerprint));
  return true;
end
$$;
revoke all on function public.report_lead_decrypt_failure(uuid, text, text) from public, anon;
grant execute on function public.report_lead_decrypt_failure(uuid, text, text) to authenticated;
