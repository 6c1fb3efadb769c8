"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { userAction } from "@/lib/server/user-action";
import { denySupportAccess, grantSupportAccess, revokeSupportAccess } from "@/lib/support/support-access";
import { notifySupportOwners } from "@/lib/support/support-notices";
import { supportGrantSchema, supportRequestIdSchema } from "@/lib/support/support-access.schema";

/**
 * Let a platform operator read the dealership for a chosen time (owners; step-up first; audited).
 * The other owners are e-mailed after the answer (who granted it, until when).
 */
export const grantSupportAccessAction = userAction(
  supportGrantSchema,
  async ({ requestId, minutes }, ctx) => {
    const expiresAt = await ctx.run((scope) => grantSupportAccess(scope, requestId, minutes));
    after(() => notifySupportOwners(requestId, "granted"));
    revalidatePath("/settings/support");
    return { requestId, expiresAt: expiresAt.toISOString() };
  },
  { permission: "support.grant", recentAuth: true },
);

/** Refuse a request (owners; audited). */
export const denySupportAccessAction = userAction(
  supportRequestIdSchema,
  async ({ requestId }, ctx) => {
    await ctx.run((scope) => denySupportAccess(scope, requestId));
    revalidatePath("/settings/support");
    return { requestId };
  },
  { permission: "support.grant" },
);

/** End a live grant now (owners; audited). */
export const revokeSupportAccessAction = userAction(
  supportRequestIdSchema,
  async ({ requestId }, ctx) => {
    await ctx.run((scope) => revokeSupportAccess(scope, requestId));
    revalidatePath("/settings/support");
    return { requestId };
  },
  { permission: "support.grant" },
);
