"use server";
import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { operatorAction } from "@/lib/server/operator-action";
import { endMySupportAccess, requestSupportAccess } from "@/lib/support/support-access";
import { notifySupportOwners } from "@/lib/support/support-notices";
import { supportRequestIdSchema, supportRequestSchema } from "@/lib/support/support-access.schema";

/**
 * Ask a dealership's owners for read access, with a reason (audited in the dealership's log); the
 * owners are e-mailed after the answer, so a mail failure neither delays nor fails the request.
 */
export const requestSupportAccessAction = operatorAction(
  supportRequestSchema,
  async (input, { claims }) => {
    const requestId = await requestSupportAccess(claims, input);
    after(() => notifySupportOwners(requestId, "requested"));
    revalidatePath("/operator/support");
    return { requestId };
  },
  { permission: "platform.support.request" },
);

/** End one's own live grant before it runs out (audited). */
export const endSupportAccessAction = operatorAction(
  supportRequestIdSchema,
  async ({ requestId }, { claims }) => {
    await endMySupportAccess(claims, requestId);
    revalidatePath("/operator/support");
    return { requestId };
  },
  { permission: "platform.support.request" },
);
