"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addToDoNotContact, removeFromDoNotContact } from "@/lib/leads/do-not-contact";
import { AppError } from "@/lib/server/app-error";
import { userAction } from "@/lib/server/user-action";

const MAX_NUMBERS = 10_000;

const addSchema = z.object({
  numbers: z
    .string()
    .max(400_000, "Paste at most 10,000 numbers at a time.")
    .transform((s) =>
      s
        .split(/[\r\n,;\t]+/)
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0, "Enter at least one phone number.")
    .refine((list) => list.length <= MAX_NUMBERS, "Paste at most 10,000 numbers at a time."),
});

/** Add pasted or uploaded numbers to the do-not-contact list (any member). */
export const addDoNotContactAction = userAction(
  addSchema,
  async ({ numbers }, ctx) => {
    // The database audits the insert (do_not_contact.added).
    const result = await ctx.run((scope) =>
      addToDoNotContact(scope, numbers, { source: numbers.length > 1 ? "upload" : "manual" }),
    );
    revalidatePath("/leads/do-not-contact");
    return result;
  },
  { permission: "do_not_contact.add" },
);

/** Take a number off the list (owners and admins; the database enforces it too). */
export const removeDoNotContactAction = userAction(
  z.object({ id: z.uuid() }),
  async ({ id }, ctx) => {
    await ctx.run(async (scope) => {
      // The database audits the delete (do_not_contact.removed).
      if (!(await removeFromDoNotContact(scope, id)))
        throw new AppError("not_found", "That number is not on the list.");
    });
    revalidatePath("/leads/do-not-contact");
  },
  { permission: "do_not_contact.remove" },
);
