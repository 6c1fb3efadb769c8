-- Function privileges, closed by default.
--
-- Per-schema default privileges can only add to the global ones, so the per-schema revokes in the
-- tenancy migration left every new function executable by PUBLIC. This revokes globally (for the
-- role that runs migrations) and cleans up what earlier migrations created; functions meant for
-- the API roles were granted by name and keep those grants.

alter default privileges revoke execute on functions from public;

do $$
declare
  f record;
begin
  for f in
    select p.oid::regprocedure as sig
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private') and p.prokind = 'f'
  loop
    execute format('revoke execute on function %s from public, anon', f.sig);
  end loop;
end
$$;
