import "server-only";
/**
 * The invitation e-mail, through Supabase Auth's own invite flow (admin `inviteUserByEmail`): Auth
 * creates the account without a password and mails a one-time link (supabase/templates/invite.html)
 * that lands on /auth/confirm, then /invitations, where the person sets a password and joins.
 */
import { logger } from "@/lib/observability/logger";
import { authAdminClient } from "@/lib/auth/auth-clients";
import { serverEnv } from "@/lib/env/server-env";
import { AppError } from "@/lib/server/app-error";
import type { SendInvitationEmail } from "./invitations";

/** Send Auth's invitation e-mail; "exists" when the address already has a confirmed account. */
export const sendSupabaseInvitation: SendInvitationEmail = async (email) => {
  const redirectTo = `${new URL(serverEnv().APP_BASE_URL).origin}/invitations`;
  const { error } = await authAdminClient().admin.inviteUserByEmail(email, { redirectTo });
  if (!error) return "sent";
  // A confirmed account gets no e-mail from Auth: the invitation waits for their next sign-in.
  if (error.code === "email_exists" || error.status === 422) return "exists";
  logger().error(
    { event: "invitation_email_refused", status: error.status ?? null, code: error.code ?? null },
    "invitation e-mail refused by Auth",
  );
  throw new AppError("internal", "The invitation e-mail could not be sent. Please try again.");
};
