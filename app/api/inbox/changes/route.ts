/**
 * GET /api/inbox/changes[?lead=<id>]: a fingerprint of the inbox (and of one thread), polled by
 * the inbox every few seconds so it re-renders only when something changed. 404 for a lead the
 * user cannot see, like every other lead URL.
 */
import { inboxChangesQuery } from "@/lib/inbox/inbox.schema";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

export const GET = userRoute({ query: inboxChangesQuery }, async (_req, ctx) => {
  const version = await ctx.run((tx) => inboxVersion(tx, ctx.active.dealershipId, ctx.query.lead));
  if (version === null) throw new AppError("not_found", "No such conversation.");
  return { version };
});
