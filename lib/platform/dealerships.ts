import "server-only";
/**
 * Onboarding and the lifecycle of dealerships, as the platform. These run as the NOLOGIN
 * `platform_admin` role, which may only call private.onboard_dealership and
 * private.set_dealership_status (it reads no tenant table). A new dealership starts pending (it can
 * import and compose but not send) until an operator approves it; a suspended one stops sending at
 * once and keeps its data.
 */
import { z } from "zod";
import { withService } from "@/lib/db/scope";
import type { SendInvitationEmail } from "@/lib/team/invitations";

export const DEALERSHIP_STATUSES = ["pending", "active", "suspended"] as const;
export type DealershipStatus = (typeof DEALERSHIP_STATUSES)[number];

export const onboardSchema = z.object({
  name: z.string().trim().min(1, "A name is required.").max(120),
  ownerEmail: z.email("Enter the owner's e-mail address.").max(255),
  timezone: z.string().trim().min(1).max(64).default("America/New_York"),
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/, "A two-letter region code, e.g. US.")
    .default("US"),
});
export type OnboardInput = z.input<typeof onboardSchema>;

/**
 * Create a pending dealership and invite its owner by e-mail (issue 12's invitation flow: the
 * owner accepts at /invitations). The e-mail is sent inside the transaction, so if Auth refuses
 * it nothing is left behind. Returns the new dealership's id.
 */
export async function onboardDealership(input: OnboardInput, sendEmail: SendInvitationEmail): Promise<string> {
  const v = onboardSchema.parse(input);
  return withService("platform_admin", async ({ sql }) => {
    const [row] = await sql<{ id: string }[]>`
      select private.onboard_dealership(${v.name}, ${v.ownerEmail}, ${v.timezone}, ${v.defaultRegion}) as id`;
    await sendEmail(v.ownerEmail.toLowerCase());
    return row!.id;
  });
}

/** The status transitions an operator may make: from which states, to which. */
const TRANSITIONS = {
  approve: { from: ["pending"], to: "active" },
  suspend: { from: ["pending", "active"], to: "suspended" },
  resume: { from: ["suspended"], to: "active" },
} as const satisfies Record<string, { from: readonly DealershipStatus[]; to: DealershipStatus }>;
export type StatusTransition = keyof typeof TRANSITIONS;

/**
 * Approve, suspend or resume a dealership, audited in its own log with the acting operator (null
 * from the command line). Returns false when the dealership is not in a state the transition starts from.
 */
export async function changeDealershipStatus(
  dealershipId: string,
  transition: StatusTransition,
  actorUserId: string | null,
): Promise<boolean> {
  const t = TRANSITIONS[transition];
  return withService("platform_admin", async ({ sql }) => {
    const [row] = await sql<{ changed: boolean }[]>`
      select private.set_dealership_status(
        ${dealershipId}, ${sql.array([...t.from])}::public.dealership_status[], ${t.to}, ${actorUserId}) as changed`;
    return row!.changed;
  });
}
