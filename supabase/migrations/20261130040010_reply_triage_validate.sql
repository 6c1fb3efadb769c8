set lock_timeout = '5s';
set statement_timeout = '60s';

-- Validate the reply-triage checks added NOT VALID in 20261130040000 and 20261130040005, in their own transaction
-- (validation takes only a SHARE UPDATE EXCLUSIVE lock; reads and writes go on meanwhile).
alter table public.messages validate constraint messages_intent_shape;
alter table public.leads validate constraint leads_campaign_suppression_known;
alter table public.campaign_recipients validate constraint campaign_recipients_skip_reason_check;
