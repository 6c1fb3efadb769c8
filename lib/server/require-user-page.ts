import "server-only";
/**
 * The one guard every signed-in page calls first. Signed out: to /login. Second factor still to
 * enter: to /login/mfa. Signed in with no dealership: to /no-dealership, a page that says so. Working in a
 * dealership that was closed: to /closed, which says when it closes for good. Missing permission: Next's `forbidden()`
 * (403, app/forbidden.tsx). Route params are parsed by the given zod schema; anything malformed is
 * a 404, like an id the user cannot see. Cached per request, so the layout and the page share it.
 */
import { forbidden, notFound, redirect } from "next/navigation";
import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { getUserState, type UserContext } from "./user-context";

interface PageOptions<P extends z.ZodType> {
  permission?: Permission;
  /** The page's `params` promise and the schema for it. */
  params?: { schema: P; value: Promise<unknown> };
  /**
   * The page is usable before a second factor is set up where the dealership requires one (the
   * layout and the security settings); every other page sends such a member there.
   */
  allowWithoutMfa?: boolean;
}

/** Resolve the signed-in member for a page, or leave the page the right way. */
export async function requireUserPage<P extends z.ZodType = z.ZodUnknown>(
  options: PageOptions<P> = {},
): Promise<UserContext & { params: z.infer<P> }> {
  const state = await getUserState();
  if (state.kind === "signed_out") redirect("/login");
  if (state.kind === "mfa_pending") redirect("/login/mfa");
  if (state.kind === "no_membership") redirect("/no-dealership");
  if (state.kind === "closed") redirect("/closed");
  const ctx = state.ctx;
  if (ctx.mfaSetupRequired && !options.allowWithoutMfa) redirect("/settings/security");
  if (options.permission && !ctx.can(options.permission)) forbidden();
  let params: unknown = undefined;
  if (options.params) {
    const parsed = options.params.schema.safeParse(await options.params.value);
    if (!parsed.success) notFound();
    params = parsed.data;
  }
  return { ...ctx, params: params as z.infer<P> };
}
