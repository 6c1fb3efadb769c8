"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { recordDealershipSwitch } from "@/lib/audit/audit-events";
import { ACTIVE_DEALERSHIP_COOKIE, activeDealershipCookieOptions } from "@/lib/auth/cookie-options";
import { withUser } from "@/lib/db/scope";
import { dealershipIdSchema, reopenDealership } from "@/lib/dealerships/closure";
import { listMyMemberships } from "@/lib/dealerships/memberships";
import { AppError } from "@/lib/server/app-error";
import { accountAction } from "@/lib/server/user-action";

/**
 * Reopen a closed dealership (an owner of it, re-authenticated, within the 30 days; the database
 * checks all three) and work in it again.
 */
export const reopenDealershipAction = accountAction(
  dealershipIdSchema,
  async ({ dealershipId }, account) => {
    await account.run((session) => reopenDealership(session, dealershipId));
    (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, activeDealershipCookieOptions);
    return { dealershipId };
  },
  { recentAuth: true },
);

/** Leave the closed dealership's page for another dealership the user still belongs to. */
export const continueToDealershipAction = accountAction(dealershipIdSchema, async ({ dealershipId }, account) => {
  const memberships = await account.run(listMyMemberships);
  if (!memberships.some((m) => m.dealershipId === dealershipId)) {
    throw new AppError("forbidden", "You are not a member of that dealership.");
  }
  await withUser(account.claims, dealershipId, (scope) => recordDealershipSwitch(scope, null));
  (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, activeDealershipCookieOptions);
  redirect("/dashboard");
});
