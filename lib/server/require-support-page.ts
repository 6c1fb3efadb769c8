import "server-only";
/**
 * The one guard of every page under /operator/support/[dealershipId]/: the operator's view of a
 * dealership during an owner-granted support window. It resolves the operator (signed out to
 * /login, no platform permission 403), parses the route params (malformed: 404), and then, before
 * the page reads anything, records the page view in the dealership's audit log
 * (`support.page_viewed`, actor the operator, the path made of ids and page names only) through a
 * definer function that checks the grant itself. No live grant: 403. So no page can show data
 * without leaving its trace, and none can forget to: every page calls this first (a test lists
 * the page files and opens each one with and without a grant).
 */
import { forbidden, notFound } from "next/navigation";
import type { z } from "zod";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { withSupport, type SupportScope } from "@/lib/db/scope";
import { recordSupportPageView } from "@/lib/support/support-access";
import { supportDealershipName } from "@/lib/support/support-overview";
import { AppError } from "./app-error";
import { requireOperatorPage } from "./require-operator-page";

/** The grant a support page runs under. */
export interface SupportGrant {
  requestId: string;
  expiresAt: Date;
  dealershipName: string;
}

/** What a support page works with once the guard let it in. */
export interface SupportPageContext<P> {
  claims: VerifiedClaims;
  params: P;
  /** The grant this view runs under, and whose data it shows. */
  grant: SupportGrant;
  /** Run fn in one read-only transaction under the grant (RLS decides; a revoked grant fails here). */
  run<T>(fn: (scope: SupportScope) => Promise<T>): Promise<T>;
}

/**
 * Guard a support page. `page` is the route below the dealership, with params in brackets
 * (`"leads/[leadId]"`, or `""` for the dealership's own page); the audited path is built from it
 * and the parsed params, never from the request URL (no query string, nothing typed by anyone).
 */
export async function requireSupportPage<P extends z.ZodType<{ dealershipId: string }>>(options: {
  page: string;
  params: { schema: P; value: Promise<unknown> };
}): Promise<SupportPageContext<z.infer<P>>> {
  const { claims } = await requireOperatorPage("platform.support.request");
  const parsed = options.params.schema.safeParse(await options.params.value);
  if (!parsed.success) notFound();
  const params = parsed.data as z.infer<P> & Record<string, unknown>;
  const path = supportPagePath(params.dealershipId, options.page, params);
  const run = <T>(fn: (scope: SupportScope) => Promise<T>) => withSupport(claims, params.dealershipId, fn);
  let grant: SupportGrant;
  try {
    grant = await run(async (scope) => {
      await recordSupportPageView(scope, path);
      return {
        requestId: scope.actor.requestId,
        expiresAt: scope.actor.expiresAt,
        dealershipName: await supportDealershipName(scope),
      };
    });
  } catch (err) {
    if ((err instanceof AppError && err.code === "forbidden") || (err as { code?: string })?.code === "42501") {
      forbidden();
    }
    throw err;
  }
  return { claims, params, grant, run };
}

/** `/operator/support/<dealership>/<page with its [params] filled in>`. */
function supportPagePath(dealershipId: string, page: string, params: Record<string, unknown>): string {
  const filled = page.replace(/\[(\w+)\]/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string") throw new Error(`support page param ${name} is missing`);
    return value;
  });
  return `/operator/support/${dealershipId}${filled ? `/${filled}` : ""}`;
}
