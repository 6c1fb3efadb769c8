import { userRoute } from "@/lib/server/user-route";

/** The signed-in user, their memberships and the active dealership. */
export const GET = userRoute({}, async (_req, ctx) => ({
  userId: ctx.claims.sub,
  email: ctx.claims.email ?? null,
  activeDealership: ctx.active,
  memberships: ctx.memberships,
}));
