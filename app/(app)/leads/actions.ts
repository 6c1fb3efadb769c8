"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ALL_LEADS_ROLES } from "@/lib/dealerships/memberships";
import { searchLeads } from "@/lib/leads/lead-search";
import { assignLead, reconsentLead, updateLead } from "@/lib/leads/lead-update";
import { leadAssignSchema, leadReconsentSchema, leadUpdateSchema } from "@/lib/leads/lead-update.schema";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { type ActionResult, userAction } from "@/lib/server/user-action";

const update = userAction(leadUpdateSchema, async (input, ctx) => {
  const changed = await ctx.run((tx) => updateLead(tx, { dealershipId: ctx.active.dealershipId, region: ctx.active.region }, input));
  revalidatePath(`/leads/${input.leadId}`);
  return { changed };
});

/** Save the lead edit form. */
export async function updateLeadAction(_prev: ActionResult<{ changed: string[] }> | null, formData: FormData) {
  return update(formData);
}

const reconsent = userAction(
  leadReconsentSchema,
  async (input, ctx) => {
    await ctx.run((tx) => reconsentLead(tx, input));
    revalidatePath(`/leads/${input.leadId}`);
  },
  { roles: ALL_LEADS_ROLES },
);

/** Record a staff re-consent of an opted-out lead (reason and source are required). */
export async function reconsentLeadAction(_prev: ActionResult<void> | null, formData: FormData) {
  return reconsent(formData);
}

const assign = userAction(leadAssignSchema, async ({ leadId, assigneeId }, ctx) => {
  await ctx.run((tx) => assignLead(tx, ctx.active.dealershipId, leadId, assigneeId));
  revalidatePath(`/leads/${leadId}`);
  return { assigneeId };
});

/** Assign the lead to a teammate (managers and up; the database refuses reps). */
export async function assignLeadAction(_prev: ActionResult<{ assigneeId: string | null }> | null, formData: FormData) {
  return assign(formData);
}

export interface LeadSearchHit {
  id: string;
  name: string;
  phone: string;
  status: string;
}

const search = userAction(z.object({ q: z.string().trim().min(1, "Type a phone, e-mail or full name.").max(254) }), async ({ q }, ctx) => {
  const leads = await ctx.run((tx) => searchLeads(tx, ctx.active.dealershipId, q, ctx.active.region));
  return leads.map<LeadSearchHit>((l) => ({
    id: l.id,
    name: [l.pii.firstName, l.pii.lastName].filter(Boolean).join(" ") || "(no name)",
    phone: formatPhoneForDisplay(l.pii.phone, ctx.active.region),
    status: l.status,
  }));
});

/** Exact-match search (posted, so the term never lands in a URL or a log line). */
export async function searchLeadsAction(_prev: ActionResult<LeadSearchHit[]> | null, formData: FormData) {
  return search(formData);
}
