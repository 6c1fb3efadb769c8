set lock_timeout = '5s';
set statement_timeout = '60s';

-- A lead import COPYs each batch of new leads into a temporary staging table of its own
-- transaction (pg_temp.lead_import_stage, dropped at commit or rollback), then moves it into
-- public.leads with one INSERT ... SELECT under leads' policies: COPY cannot write a table with
-- row-level security itself. Creating a temporary table needs TEMPORARY on the database, which
-- Postgres grants to PUBLIC by default; a hardened database may have revoked that, so the import's
-- role gets it by name. A no-op where it already has it.
do $$
begin
  if not has_database_privilege('authenticated', current_database(), 'TEMPORARY') then
    execute format('grant temporary on database %I to authenticated', current_database());
  end if;
end
$$;
