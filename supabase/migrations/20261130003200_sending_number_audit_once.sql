-- One audit row per sending-number registration. public.register_sending_number (the only way a
-- user adds a number since 20261130003100) writes sending_number.added with the kind of address;
-- the row trigger of 20261130002300 wrote a second one. The trigger now audits removals only.
set lock_timeout = '5s';
set statement_timeout = '60s';

drop trigger sending_numbers_audit on public.sending_numbers;
create trigger sending_numbers_audit after delete on public.sending_numbers
  for each row execute function private.audit_sending_number();
