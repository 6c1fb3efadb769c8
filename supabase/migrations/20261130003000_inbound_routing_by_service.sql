set lock_timeout = '5s';
set statement_timeout = '60s';

-- Inbound routing prefers the Messaging Service. A message that arrives through a service carries
-- its MessagingServiceSid, and the service's dealership owns every number in its pool; the To
-- number decides only when no registered service matches. (Before this, a number registered
-- directly by one dealership won over the service another dealership had registered.)

/* The sending number and dealership an inbound message was addressed to; no row when unknown. */
create or replace function private.route_inbound_sms(p_to text, p_messaging_service_sid text)
returns table (sending_number_id uuid, dealership_id uuid, dealership_name text)
language sql stable security definer set search_path = ''
as $$
  select s.id, s.dealership_id, d.name
  from public.sending_numbers s
  join public.dealerships d on d.id = s.dealership_id
  where s.phone_number = p_to
     or (p_messaging_service_sid is not null and s.messaging_service_sid = p_messaging_service_sid)
  order by coalesce(s.messaging_service_sid = p_messaging_service_sid, false) desc
  limit 1
$$;
-- create or replace keeps the existing grants (sms_webhook only); restated for the reader.
revoke all on function private.route_inbound_sms(text, text) from public;
grant execute on function private.route_inbound_sms(text, text) to sms_webhook;
