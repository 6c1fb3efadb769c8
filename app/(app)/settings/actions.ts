"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/server/user-action";
import { addSendingNumber, removeSendingNumber, sendingNumberSchema } from "@/lib/sms/sending-numbers";

/**
 * Add a Twilio number or Messaging Service the platform's account owns (owners and admins; the
 * database says the same). A sending-number change is sensitive: step-up first.
 */
export const addSendingNumberAction = userAction(
  sendingNumberSchema,
  async (input, ctx) => {
    const id = await addSendingNumber(ctx.run, input, { region: ctx.active.region });
    revalidatePath("/settings");
    return { id };
  },
  { permission: "sending_numbers.manage", recentAuth: true },
);

/** Remove a sending number (owners and admins; step-up first). */
export const removeSendingNumberAction = userAction(
  z.object({ id: z.uuid() }),
  async ({ id }, ctx) => {
    await ctx.run((scope) => removeSendingNumber(scope, id));
    revalidatePath("/settings");
    return { id };
  },
  { permission: "sending_numbers.manage", recentAuth: true },
);
