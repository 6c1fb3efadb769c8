/**
 * GET /api/inbox/conversations/<leadId>: one thread as JSON (the lead's status and consent, and
 * its messages, decrypted on the server). 404 for anything RLS hides: another dealership's lead
 * or, for a rep, a lead assigned to someone else. Reading does not mark the thread read.
 */
import { z } from "zod";
import { getThreadLead } from "@/lib/inbox/thread-lead";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";
import { listThreadMessages } from "@/lib/sms/conversation-queries";

export const GET = userRoute<{ leadId: string }>({}, async (_req, ctx) => {
  const leadId = z.uuid().safeParse(ctx.params.leadId);
  if (!leadId.success) throw new AppError("not_found", "No such conversation.");
  const { dealershipId } = ctx.active;
  const thread = await ctx.run(async (tx) => {
    const lead = await getThreadLead(tx, dealershipId, leadId.data);
    return lead ? { lead, messages: await listThreadMessages(tx, dealershipId, lead.id) } : null;
  });
  if (!thread) throw new AppError("not_found", "No such conversation.");
  const { lead, messages } = thread;
  return {
    lead: { id: lead.id, status: lead.status, consentStatus: lead.consentStatus, onDoNotContact: lead.onDoNotContact, unreadCount: lead.conversation?.unreadCount ?? 0 },
    messages: messages.map((m) => ({ id: m.id, direction: m.direction, body: m.body, status: m.status, errorCode: m.errorCode, createdAt: m.createdAt })),
  };
});
