"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { MANAGING_ROLES } from "@/lib/dealerships/memberships";
import { type ActionResult, userAction } from "@/lib/server/user-action";
import { addSendingNumber, removeSendingNumber, sendingNumberSchema } from "@/lib/sms/sending-numbers";

const add = userAction(
  sendingNumberSchema,
  async (input, ctx) => {
    const id = await addSendingNumber(ctx.run, ctx.active.dealershipId, input, { region: ctx.active.region });
    revalidatePath("/settings");
    return { id };
  },
  { roles: MANAGING_ROLES },
);

/** Add a Twilio number or Messaging Service the platform's account owns (owners and admins; the database says the same). */
export async function addSendingNumberAction(_prev: ActionResult<{ id: string }> | null, formData: FormData) {
  return add(formData);
}

const remove = userAction(
  z.object({ id: z.uuid() }),
  async ({ id }, ctx) => {
    await ctx.run((tx) => removeSendingNumber(tx, ctx.active.dealershipId, id));
    revalidatePath("/settings");
    return { id };
  },
  { roles: MANAGING_ROLES },
);

/** Remove a sending number (owners and admins). */
export async function removeSendingNumberAction(_prev: ActionResult<{ id: string }> | null, formData: FormData) {
  return remove(formData);
}
