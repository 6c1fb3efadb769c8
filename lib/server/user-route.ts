import "server-only";
/**
 * The wrapper every JSON route handler for signed-in users goes through. A state-changing request
 * from another origin gets 403 before anything else (CSRF), signed-out callers 401 JSON (never a redirect),
 * members of a closed dealership 403 `dealership_closed` (saying when it is deleted), a missing permission 403, bad params, query or body 422, too many
 * calls 429, and raw errors never leak. Params, query and body are parsed by zod schemas given
 * per route; each route names its own rate limit.
 */
import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { serverEnv } from "@/lib/env/server-env";
import { enforceRateLimit, type RateLimitName } from "@/lib/rate-limit/rate-limit";
import { withRequestId } from "@/lib/observability/logger";
import { crossOriginWriteReason } from "@/lib/security/same-origin";
import { AppError, HTTP_STATUS, toAppError } from "./app-error";
import { accountOrThrow, closedDealershipError, parseOrThrow, type AccountContext } from "./user-action";
import { getUserContext, getUserState, type UserContext } from "./user-context";

interface RouteOptions<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** The permission the user's role in the active dealership must hold; any member when omitted. */
  permission?: Permission;
  /** Schema for the dynamic route segments. */
  params?: P;
  /** Schema for the query string. */
  query?: Q;
  /** Schema for a JSON body (routes that stream a file body read it themselves). */
  body?: B;
  /** Which limit counts this route's calls, per user and endpoint ("api", 30/min, by default). */
  rateLimit?: RateLimitName | "none";
}

export type RouteContext<P, Q, B> = UserContext & { params: P; query: Q; body: B };

type RouteHandler<P, Q, B> = (req: Request, ctx: RouteContext<P, Q, B>) => Promise<Response | unknown>;

/** The endpoint a request hits, with ids replaced, e.g. "/api/leads/:id". */
function endpointOf(req: Request): string {
  return new URL(req.url).pathname.replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, "/:id");
}

/** JSON error response in the one shape every API route uses. */
export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (e.retryAfterSeconds) headers["retry-after"] = String(e.retryAfterSeconds);
  return Response.json(
    { error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } },
    { status: HTTP_STATUS[e.code], headers },
  );
}

async function readJsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.");
  }
}

/** Define a route handler for signed-in users; a returned plain value is sent as JSON. */
export function userRoute<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(options: RouteOptions<P, Q, B>, handler: RouteHandler<z.infer<P>, z.infer<Q>, z.infer<B>>) {
  return (req: Request, segment: { params: Promise<unknown> }): Promise<Response> =>
    withRequestId(req.headers.get("x-request-id"), () => runRoute(req, segment));
  async function runRoute(req: Request, segment: { params: Promise<unknown> }): Promise<Response> {
    try {
      if (crossOriginWriteReason(req, serverEnv().APP_BASE_URL)) {
        throw new AppError("forbidden", "Cross-origin requests may not change data.");
      }
      const ctx = await getUserContext();
      if (!ctx) {
        // The page guard sends members of a closed dealership to /closed; an API client gets the
        // same news as JSON (the state is cached per request, so this costs nothing more).
        const state = await getUserState();
        if (state.kind === "closed") throw closedDealershipError(state.closed);
        throw new AppError("unauthenticated", "Sign in to use this API.");
      }
      if (ctx.mfaSetupRequired) {
        throw new AppError("mfa_required", "This dealership requires two-factor authentication. Set it up first.");
      }
      // "Standard API calls: 30 requests per minute", per user and endpoint (ids stripped), so one
      // runaway script or tab is stopped without starving the user's other screens.
      const limit = options.rateLimit ?? "api";
      if (limit !== "none") await enforceRateLimit(limit, `${ctx.claims.sub}|${req.method} ${endpointOf(req)}`);
      if (options.permission && !ctx.can(options.permission))
        throw new AppError("forbidden", "Your role does not allow this.");
      // A malformed id in the path is answered like an id the user cannot see.
      const rawParams = await segment.params;
      const params = options.params ? options.params.safeParse(rawParams) : { success: true as const, data: rawParams };
      if (!params.success) throw new AppError("not_found", "Not found.");
      const query = options.query
        ? parseOrThrow(options.query, Object.fromEntries(new URL(req.url).searchParams), "Invalid query parameters.")
        : undefined;
      const body = options.body ? parseOrThrow(options.body, await readJsonBody(req)) : undefined;
      const out = await handler(req, { ...ctx, params: params.data, query, body } as RouteContext<
        z.infer<P>,
        z.infer<Q>,
        z.infer<B>
      >);
      return out instanceof Response ? out : Response.json(out, { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return errorResponse(err);
    }
  }
}

interface AccountRouteOptions<B extends z.ZodType> {
  /** Schema for the JSON body. */
  body?: B;
  /** As RouteOptions.rateLimit. */
  rateLimit?: RateLimitName | "none";
}

type AccountRouteContext<B> = AccountContext & { body: B };

/**
 * Define a route handler for any signed-in user, member of a dealership or not (the owner of a
 * closed dealership on /closed): the same CSRF check, 401/403/422/429 JSON and rate limit as
 * userRoute, but no active dealership and no permission from the map, so the database function
 * the handler calls must decide who may (as public.record_closed_dealership_export does).
 */
export function accountRoute<B extends z.ZodType = z.ZodUnknown>(
  options: AccountRouteOptions<B>,
  handler: (req: Request, ctx: AccountRouteContext<z.infer<B>>) => Promise<Response | unknown>,
) {
  return (req: Request): Promise<Response> =>
    withRequestId(req.headers.get("x-request-id"), async () => {
      try {
        if (crossOriginWriteReason(req, serverEnv().APP_BASE_URL)) {
          throw new AppError("forbidden", "Cross-origin requests may not change data.");
        }
        const account = accountOrThrow(await getUserState());
        const limit = options.rateLimit ?? "api";
        if (limit !== "none") await enforceRateLimit(limit, `${account.claims.sub}|${req.method} ${endpointOf(req)}`);
        const body = options.body ? parseOrThrow(options.body, await readJsonBody(req)) : undefined;
        const out = await handler(req, { ...account, body } as AccountRouteContext<z.infer<B>>);
        return out instanceof Response ? out : Response.json(out, { headers: { "cache-control": "no-store" } });
      } catch (err) {
        return errorResponse(err);
      }
    });
}
