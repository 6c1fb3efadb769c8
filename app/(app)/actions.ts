"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordDealershipSwitch } from "@/lib/audit/audit-events";
import { ACTIVE_DEALERSHIP_COOKIE, sessionCookieOptions } from "@/lib/auth/cookie-options";
import { withUser } from "@/lib/db/scope";
import { AppError } from "@/lib/server/app-error";
import { userAction } from "@/lib/server/user-action";

const switchSchema = z.object({ dealershipId: z.uuid("Choose a dealership.") });

/**
 * Switch the active dealership; the database records the switch in the target dealership's audit
 * log (checking both memberships). Refusals come back to the form; success goes to the dashboard.
 */
export const switchDealershipAction = userAction(switchSchema, async ({ dealershipId }, ctx) => {
  const target = ctx.memberships.find((m) => m.dealershipId === dealershipId);
  if (!target) throw new AppError("forbidden", "You are not a member of that dealership.");
  if (target.dealershipId !== ctx.active.dealershipId) {
    await withUser(ctx.claims, target.dealershipId, (scope) => recordDealershipSwitch(scope, ctx.active.dealershipId));
  }
  (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, {
    httpOnly: true,
    sameSite: "lax",
    secure: sessionCookieOptions.secure,
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  redirect("/dashboard");
});
