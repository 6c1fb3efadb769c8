"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/server/user-action";
import { intentSchema } from "@/lib/triage/intents";
import { deleteReplyTemplate, saveReplyTemplate, setTriageLlmEnabled } from "@/lib/triage/reply-triage-store";
import { NEVER_AUTO_SENT, replyTemplateSchema, UNANSWERED_INTENTS } from "@/lib/triage/suggested-replies";

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal(""), z.undefined()])
  .transform((v) => v === "on" || v === "true");

const templateInput = z
  .object({
    intent: intentSchema.refine((i) => !UNANSWERED_INTENTS.includes(i), "This intent gets no answer."),
    body: replyTemplateSchema,
    autoSend: checkbox,
  })
  .refine((t) => !(t.autoSend && NEVER_AUTO_SENT.includes(t.intent)), {
    path: ["autoSend"],
    message: "This intent is never answered automatically.",
  });

/** Save the dealership's suggested answer for an intent (owners and admins; the database checks too). */
export const saveReplyTemplateAction = userAction(
  templateInput,
  async (input, ctx) => {
    await ctx.run((scope) => saveReplyTemplate(scope, input));
    revalidatePath("/settings/replies");
    return { intent: input.intent };
  },
  { permission: "dealership.settings" },
);

/** Go back to the default answer for an intent. */
export const resetReplyTemplateAction = userAction(
  z.object({ intent: intentSchema }),
  async ({ intent }, ctx) => {
    await ctx.run((scope) => deleteReplyTemplate(scope, intent));
    revalidatePath("/settings/replies");
    return { intent };
  },
  { permission: "dealership.settings" },
);

/** Turn the operator's LLM on or off for this dealership's reply triage. */
export const setTriageLlmAction = userAction(
  z.object({ enabled: checkbox }),
  async ({ enabled }, ctx) => {
    await ctx.run((scope) => setTriageLlmEnabled(scope, enabled));
    revalidatePath("/settings/replies");
    return { enabled };
  },
  { permission: "dealership.settings" },
);
