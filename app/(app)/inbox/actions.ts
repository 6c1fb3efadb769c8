"use server";

import { revalidatePath } from "next/cache";
import { leadStatusSchema, replySchema } from "@/lib/inbox/inbox.schema";
import { setLeadStatus } from "@/lib/inbox/lead-status";
import { type ActionResult, userAction } from "@/lib/server/user-action";
import { sendMessageToLead } from "@/lib/sms/send-message";

const reply = userAction(replySchema, async ({ leadId, body }, ctx) => {
  // sendMessageToLead re-checks consent and the do-not-contact list in the database and refuses.
  const sent = await sendMessageToLead(ctx.run, { dealershipId: ctx.active.dealershipId, leadId, body });
  revalidatePath(`/inbox/${leadId}`);
  return { messageId: sent.messageId, status: sent.status, segments: sent.segments };
});

/** Send a reply from the thread's reply box. */
export async function sendReplyAction(_prev: ActionResult<{ messageId: string; status: string; segments: number }> | null, formData: FormData) {
  return reply(formData);
}

const status = userAction(leadStatusSchema, async ({ leadId, status, version }, ctx) => {
  const changed = await ctx.run((tx) => setLeadStatus(tx, ctx.active.dealershipId, leadId, status, version));
  revalidatePath(`/inbox/${leadId}`);
  return { changed };
});

/** Move the lead to another status (new, engaged, appointment set, sold, lost, opted out). */
export async function setLeadStatusAction(_prev: ActionResult<{ changed: boolean }> | null, formData: FormData) {
  return status(formData);
}
