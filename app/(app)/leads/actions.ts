"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { eraseLead } from "@/lib/leads/erase-lead";
import { searchLeads } from "@/lib/leads/lead-search";
import type { LeadStatus } from "@/lib/leads/lead-status";
import { assignLead, reconsentLead, updateLead } from "@/lib/leads/lead-update";
import { leadAssignSchema, leadReconsentSchema, leadUpdateSchema } from "@/lib/leads/lead-update.schema";
import { formatPhoneForDisplay } from "@/lib/leads/phone";
import { userAction } from "@/lib/server/user-action";

/** Save the lead edit form. */
export const updateLeadAction = userAction(leadUpdateSchema, async (input, ctx) => {
  const changed = await ctx.run((scope) => updateLead(scope, input));
  revalidatePath(`/leads/${input.leadId}`);
  return { changed };
});

/** Record a staff re-consent of an opted-out lead (reason and source are required). */
export const reconsentLeadAction = userAction(
  leadReconsentSchema,
  async (input, ctx) => {
    await ctx.run((scope) => reconsentLead(scope, input));
    revalidatePath(`/leads/${input.leadId}`);
  },
  { permission: "leads.reconsent" },
);

/** Assign the lead to a teammate (the database refuses the same roles). */
export const assignLeadAction = userAction(
  leadAssignSchema,
  async ({ leadId, assigneeId }, ctx) => {
    await ctx.run((scope) => assignLead(scope, leadId, assigneeId));
    revalidatePath(`/leads/${leadId}`);
    return { assigneeId };
  },
  { permission: "leads.assign" },
);

/**
 * Erase the lead for good (owners and admins, after re-authentication): the lead, their
 * conversation and consent history; an opt-out stays on the do-not-contact list as a tombstone.
 */
export const eraseLeadAction = userAction(
  z.object({ leadId: z.uuid() }),
  async ({ leadId }, ctx) => {
    const { tombstone } = await ctx.run((scope) => eraseLead(scope, leadId));
    revalidatePath("/leads");
    return { tombstone };
  },
  { permission: "leads.delete", recentAuth: true },
);

export interface LeadSearchHit {
  id: string;
  name: string;
  phone: string;
  status: LeadStatus;
}

/** Exact-match search (posted, so the term never lands in a URL or a log line). */
export const searchLeadsAction = userAction(
  z.object({ q: z.string().trim().min(1, "Type a phone, e-mail or full name.").max(254) }),
  async ({ q }, ctx) => {
    const leads = await ctx.run((scope) => searchLeads(scope, q));
    return leads.map<LeadSearchHit>((l) => ({
      id: l.id,
      name: [l.pii.firstName, l.pii.lastName].filter(Boolean).join(" ") || "(no name)",
      phone: formatPhoneForDisplay(l.pii.phone, ctx.active.region),
      status: l.status,
    }));
  },
);
