"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { recordDealershipSwitch } from "@/lib/audit/audit-events";
import { ACTIVE_DEALERSHIP_COOKIE, sessionCookieOptions } from "@/lib/auth/cookie-options";
import { AppError } from "@/lib/server/app-error";
import { userAction } from "@/lib/server/user-action";

const switchSchema = z.object({ dealershipId: z.uuid() });

const switchDealership = userAction(switchSchema, async ({ dealershipId }, ctx) => {
  const target = ctx.memberships.find((m) => m.dealershipId === dealershipId);
  if (!target) throw new AppError("forbidden", "You are not a member of that dealership.");
  if (target.dealershipId !== ctx.active.dealershipId) {
    await ctx.run((tx) => recordDealershipSwitch(tx, dealershipId, ctx.active.dealershipId));
  }
  (await cookies()).set(ACTIVE_DEALERSHIP_COOKIE, dealershipId, {
    httpOnly: true,
    sameSite: "lax",
    secure: sessionCookieOptions.secure,
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
});

/** Switch the active dealership (form action); an audit event records the switch. */
export async function switchDealershipAction(formData: FormData): Promise<void> {
  const result = await switchDealership(formData);
  if (!result.ok && result.error.code === "unauthenticated") redirect("/login");
  redirect("/dashboard");
}
