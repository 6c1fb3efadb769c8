/**
 * GET /api/inbox/conversations/<leadId>: one thread as JSON (the lead's status and consent, and
 * its messages, decrypted on the server). 404 for anything RLS hides: another dealership's lead
 * or, for a rep, a lead assigned to someone else. Reading does not mark the thread read.
 */
import { listThreadMessages } from "@/lib/inbox/conversation-queries";
import { getThreadLead } from "@/lib/inbox/thread-lead";
import { leadParamsSchema } from "@/lib/leads/lead-params.schema";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

export const GET = userRoute({ params: leadParamsSchema }, async (_req, ctx) => {
  const thread = await ctx.run(async (scope) => {
    const lead = await getThreadLead(scope, ctx.params.leadId);
    return lead ? { lead, messages: await listThreadMessages(scope, lead.id) } : null;
  });
  if (!thread) throw new AppError("not_found", "No such conversation.");
  const { lead, messages } = thread;
  return {
    lead: {
      id: lead.id,
      status: lead.status,
      consentStatus: lead.consentStatus,
      onDoNotContact: lead.onDoNotContact,
      unreadCount: lead.conversation?.unreadCount ?? 0,
    },
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      body: m.body,
      status: m.status,
      errorCode: m.errorCode,
      createdAt: m.createdAt,
    })),
  };
});
