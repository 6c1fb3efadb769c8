import "server-only";
/**
 * The wrapper every JSON route handler for signed-in users goes through. A state-changing request
 * from another origin gets 403 before anything else (CSRF), signed-out callers 401 JSON (never a
 * redirect), wrong roles 403, bad input 422, and raw errors never leak.
 */
import { z } from "zod";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { serverEnv } from "@/lib/env/server-env";
import { enforceRateLimit } from "@/lib/rate-limit/rate-limit";
import { crossOriginWriteReason } from "@/lib/security/same-origin";
import { AppError, HTTP_STATUS, toAppError } from "./app-error";
import { getUserContext, type UserContext } from "./user-context";

interface RouteOptions<Q extends z.ZodType> {
  roles?: readonly MembershipRole[];
  /** Schema for the query string (validated before the handler runs). */
  query?: Q;
}

type RouteHandler<P, Q extends z.ZodType> = (
  req: Request,
  ctx: UserContext & { params: P; query: z.infer<Q> },
) => Promise<Response | unknown>;

/** The endpoint a request hits, with ids replaced, e.g. "/api/leads/:id". */
function endpointOf(req: Request): string {
  return new URL(req.url).pathname.replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, "/:id");
}

/** JSON error response in the one shape every API route uses. */
export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (e.retryAfterSeconds) headers["retry-after"] = String(e.retryAfterSeconds);
  return Response.json({ error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } }, { status: HTTP_STATUS[e.code], headers });
}

/** Define a route handler for signed-in users; a returned plain value is sent as JSON. */
export function userRoute<P = Record<string, string>, Q extends z.ZodType = z.ZodUnknown>(
  options: RouteOptions<Q>,
  handler: RouteHandler<P, Q>,
) {
  return async (req: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      if (crossOriginWriteReason(req, serverEnv().APP_BASE_URL)) {
        throw new AppError("forbidden", "Cross-origin requests may not change data.");
      }
      const ctx = await getUserContext();
      if (!ctx) throw new AppError("unauthenticated", "Sign in to use this API.");
      // "Standard API calls: 30 requests per minute", per user and endpoint (ids stripped), so one
      // runaway script or tab is stopped without starving the user's other screens.
      await enforceRateLimit("api", `${ctx.claims.sub}|${req.method} ${endpointOf(req)}`);
      if (options.roles && !options.roles.includes(ctx.active.role)) {
        throw new AppError("forbidden", "Your role does not allow this.");
      }
      let query: unknown = undefined;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
        if (!parsed.success) {
          const { fieldErrors } = z.flattenError(parsed.error) as { fieldErrors: Record<string, string[]> };
          throw new AppError("invalid_input", "Invalid query parameters.", fieldErrors);
        }
        query = parsed.data;
      }
      const out = await handler(req, { ...ctx, params: await params, query: query as z.infer<Q> });
      return out instanceof Response ? out : Response.json(out, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
