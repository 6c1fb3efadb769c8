/**
 * What an operator sees first under a support grant: the dealership and the size of its data.
 * Read through the support scope, so RLS (the SELECT-only support policies) decides.
 */
import type { SupportScope } from "@/lib/db/scope";

export interface SupportOverview {
  name: string;
  status: string;
  timezone: string;
  leads: number;
  conversations: number;
  campaigns: number;
  imports: number;
  sendingNumbers: number;
}

/** The dealership under the grant, with counts of the tables support can read. */
export async function supportOverview({ sql, dealershipId }: SupportScope): Promise<SupportOverview | null> {
  const [row] = await sql<SupportOverview[]>`
    select d.name, d.status::text as status, d.timezone,
      (select count(*)::int from public.leads l where l.dealership_id = d.id) as leads,
      (select count(*)::int from public.conversations c where c.dealership_id = d.id) as conversations,
      (select count(*)::int from public.campaigns c where c.dealership_id = d.id) as campaigns,
      (select count(*)::int from public.lead_imports i where i.dealership_id = d.id) as imports,
      (select count(*)::int from public.sending_numbers s where s.dealership_id = d.id) as "sendingNumbers"
    from public.dealerships d where d.id = ${dealershipId}`;
  return row ?? null;
}

/** The name of the dealership under the grant (every support page shows whose data it is). */
export async function supportDealershipName({ sql, dealershipId }: SupportScope): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select name from public.dealerships where id = ${dealershipId}`;
  return row?.name ?? "";
}
