"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { markThreadRead } from "@/lib/inbox/conversation-queries";
import { confirmAppointmentSchema, correctIntentSchema, leadStatusSchema, replySchema } from "@/lib/inbox/inbox.schema";
import { setLeadStatus } from "@/lib/inbox/lead-status";
import { leadIdSchema } from "@/lib/leads/lead-params.schema";
import { userAction } from "@/lib/server/user-action";
import { sendMessageToLead } from "@/lib/sms/send-message";
import { confirmProposedAppointment, correctReplyIntent } from "@/lib/triage/reply-triage-store";

/** Send a reply from the thread's reply box. */
export const sendReplyAction = userAction(
  replySchema,
  async ({ leadId, body }, ctx) => {
    // sendMessageToLead re-checks consent and the do-not-contact list in the database and refuses.
    const sent = await sendMessageToLead(ctx.run, { leadId, body });
    revalidatePath(`/inbox/${leadId}`);
    return { messageId: sent.messageId, status: sent.status, segments: sent.segments };
  },
  { permission: "conversations.reply" },
);

/** Move the lead to another status (new, engaged, appointment set, sold, lost, opted out). */
export const setLeadStatusAction = userAction(leadStatusSchema, async ({ leadId, status, version }, ctx) => {
  const changed = await ctx.run((scope) => setLeadStatus(scope, leadId, status, version));
  revalidatePath(`/inbox/${leadId}`);
  return { changed };
});

/**
 * The open thread has been seen: clear its unread count and attention flag. Called by the thread
 * in the browser while it is visible (the page itself never writes while rendering).
 */
export const markThreadReadAction = userAction(z.object({ leadId: leadIdSchema }), async ({ leadId }, ctx) => {
  return { changed: await ctx.run((scope) => markThreadRead(scope, leadId)) };
});

/** Correct a reply's intent with one click (stored as a training example; the automatic action follows). */
export const correctIntentAction = userAction(
  correctIntentSchema,
  async ({ leadId, messageId, intent }, ctx) => {
    await ctx.run((scope) => correctReplyIntent(scope, messageId, intent));
    revalidatePath(`/inbox/${leadId}`);
    return { intent };
  },
  { permission: "conversations.reply" },
);

/** Confirm the visit an appointment reply proposed: the lead's appointment and status follow. */
export const confirmAppointmentAction = userAction(
  confirmAppointmentSchema,
  async ({ leadId, messageId }, ctx) => {
    await ctx.run((scope) => confirmProposedAppointment(scope, messageId));
    revalidatePath(`/inbox/${leadId}`);
    return { confirmed: true };
  },
  { permission: "conversations.reply" },
);
