"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  cancelCampaign,
  createCampaign,
  launchCampaign,
  pauseCampaign,
  resumeCampaign,
  type CreateCampaignInput,
} from "@/lib/campaigns/campaigns";
import { userAction } from "@/lib/server/user-action";

/**
 * The composer's form as posted. The campaign's own rules (name, number, template, audience,
 * idempotency key, how far ahead) are checked by lib/campaigns, which answers per field; this
 * only turns the form's strings into its input.
 */
const composerFormSchema = z
  .object({
    name: z.string().max(500),
    sendingNumberId: z.string().max(100),
    template: z.string().max(5000),
    // The filter object as JSON (one hidden field; ids and codes only, no personal data).
    audience: z.string().max(4000),
    idempotencyKey: z.string().max(200),
    when: z.enum(["now", "later"]).default("now"),
    scheduledAt: z.string().max(100).optional(),
  })
  .transform((f, ctx) => {
    let audience: unknown;
    try {
      audience = JSON.parse(f.audience);
    } catch {
      ctx.addIssue({ code: "custom", path: ["audience"], message: "The audience could not be read; reload the page." });
      return z.NEVER;
    }
    let scheduledAt: Date | null = null;
    if (f.when === "later") {
      scheduledAt = f.scheduledAt ? new Date(f.scheduledAt) : null;
      if (!scheduledAt || Number.isNaN(scheduledAt.getTime())) {
        ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "Pick a date and time." });
        return z.NEVER;
      }
      // A time already past would launch at once: say so rather than surprise.
      if (scheduledAt.getTime() < Date.now() - 60_000) {
        ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "Pick a time in the future, or send now." });
        return z.NEVER;
      }
    }
    return { ...f, audience, scheduledAt };
  });

/**
 * Create the campaign and launch it (now or at the chosen time) in one transaction, so a refused
 * launch (rate limit, nobody to text) leaves no draft behind. The idempotency key was generated when
 * the form rendered: a double click or a resubmitted form finds the same campaign, already launched,
 * and lands on its page without enqueuing anything again.
 */
export const launchCampaignAction = userAction(
  composerFormSchema,
  async (form, ctx): Promise<never> => {
    const campaignId = await ctx.run(async (scope) => {
      const { id } = await createCampaign(scope, {
        name: form.name,
        sendingNumberId: form.sendingNumberId,
        template: form.template,
        // Parsed (and refused per field) by createCampaign.
        audience: form.audience as CreateCampaignInput["audience"],
        idempotencyKey: form.idempotencyKey,
      });
      await launchCampaign(scope, {
        campaignId: id,
        idempotencyKey: form.idempotencyKey,
        scheduledAt: form.scheduledAt,
      });
      return id;
    });
    revalidatePath("/campaigns");
    redirect(`/campaigns/${campaignId}`);
  },
  { permission: "campaigns.manage" },
);

const changeSchema = z.object({ campaignId: z.uuid(), change: z.enum(["pause", "resume", "cancel"]) });
const CHANGES = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;

/** Pause, resume or cancel a campaign from its page (each audited by the database). */
export const changeCampaignAction = userAction(
  changeSchema,
  async ({ campaignId, change }, ctx) => {
    const result = await ctx.run((scope) => CHANGES[change](scope, campaignId));
    revalidatePath(`/campaigns/${campaignId}`);
    revalidatePath("/campaigns");
    return result;
  },
  { permission: "campaigns.manage" },
);
