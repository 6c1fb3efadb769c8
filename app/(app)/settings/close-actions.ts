"use server";

import { closeDealership, closeDealershipSchema } from "@/lib/dealerships/closure";
import { userAction } from "@/lib/server/user-action";

/**
 * Close the active dealership (owners, re-authenticated, typing its name; the database checks
 * all three). Every member loses access when it commits; the form then shows /closed.
 */
export const closeDealershipAction = userAction(
  closeDealershipSchema,
  async ({ confirmName }, ctx) => {
    const { purgeAfter } = await ctx.run((scope) => closeDealership(scope, confirmName));
    return { purgeAfter: purgeAfter.toISOString() };
  },
  { permission: "dealership.close", recentAuth: true },
);
