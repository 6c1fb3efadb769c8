"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { MANAGING_ROLES } from "@/lib/dealerships/memberships";
import { addToDoNotContact, removeFromDoNotContact, type AddDoNotContactResult } from "@/lib/leads/do-not-contact";
import { AppError } from "@/lib/server/app-error";
import { type ActionResult, userAction } from "@/lib/server/user-action";

const MAX_NUMBERS = 10_000;

const addSchema = z.object({
  numbers: z
    .string()
    .max(400_000, "Paste at most 10,000 numbers at a time.")
    .transform((s) => s.split(/[\r\n,;\t]+/).map((p) => p.trim()).filter(Boolean))
    .refine((list) => list.length > 0, "Enter at least one phone number.")
    .refine((list) => list.length <= MAX_NUMBERS, "Paste at most 10,000 numbers at a time."),
});

const add = userAction(addSchema, async ({ numbers }, ctx) => {
  // The database audits the insert (do_not_contact.added).
  const result = await ctx.run((tx) =>
    addToDoNotContact(tx, ctx.active.dealershipId, numbers, { source: numbers.length > 1 ? "upload" : "manual", defaultRegion: ctx.active.region }),
  );
  revalidatePath("/leads/do-not-contact");
  return result;
});

/** Add pasted or uploaded numbers to the do-not-contact list (any member). */
export async function addDoNotContactAction(_prev: ActionResult<AddDoNotContactResult> | null, formData: FormData) {
  return add(formData);
}

const remove = userAction(
  z.object({ id: z.uuid() }),
  async ({ id }, ctx) => {
    await ctx.run(async (tx) => {
      // The database audits the delete (do_not_contact.removed).
      if (!(await removeFromDoNotContact(tx, ctx.active.dealershipId, id))) throw new AppError("not_found", "That number is not on the list.");
    });
    revalidatePath("/leads/do-not-contact");
  },
  { roles: MANAGING_ROLES },
);

/** Take a number off the list (owners and admins; the database enforces it too). */
export async function removeDoNotContactAction(formData: FormData): Promise<void> {
  await remove(formData);
}
