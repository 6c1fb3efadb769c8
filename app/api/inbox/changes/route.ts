/**
 * GET /api/inbox/changes[?lead=<id>]: a fingerprint of the inbox (and of one thread), polled by
 * the inbox every few seconds so it re-renders only when something changed. 404 for a lead the
 * user cannot see, like every other lead URL. It counts against its own "poll" limit, not the
 * 30-a-minute API budget: a few open tabs polling must never lock the user out of anything.
 */
import { inboxChangesQuery } from "@/lib/inbox/inbox.schema";
import { inboxVersion } from "@/lib/inbox/inbox-version";
import { AppError } from "@/lib/server/app-error";
import { userRoute } from "@/lib/server/user-route";

export const GET = userRoute({ query: inboxChangesQuery, rateLimit: "poll" }, async (_req, ctx) => {
  const version = await ctx.run((scope) => inboxVersion(scope, ctx.query.lead));
  if (version === null) throw new AppError("not_found", "No such conversation.");
  return { version };
});
