import "server-only";
/**
 * The wrapper every server action goes through: require a signed-in user (verified claims),
 * check the role, parse the input with zod, run the domain function, and return a typed result
 * instead of throwing.
 */
import { z } from "zod";
import type { MembershipRole } from "@/lib/dealerships/memberships";
import { AppError, toAppError, type AppErrorCode } from "./app-error";
import { getUserContext, type UserContext } from "./user-context";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: AppErrorCode; message: string; fieldErrors?: Record<string, string[]> } };

interface ActionOptions {
  /** Roles allowed in the active dealership; every member when omitted. */
  roles?: readonly MembershipRole[];
}

/** Turn FormData (or a plain object) into an object zod can parse; repeated keys become arrays. */
function formToObject(input: unknown): unknown {
  if (!(input instanceof FormData)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of input.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Define a server action for signed-in users. */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, ctx: UserContext) => Promise<T>,
  options: ActionOptions = {},
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const ctx = await getUserContext();
      if (!ctx) throw new AppError("unauthenticated", "Please sign in again.");
      if (options.roles && !options.roles.includes(ctx.active.role)) {
        throw new AppError("forbidden", "Your role does not allow this.");
      }
      const parsed = schema.safeParse(formToObject(input));
      if (!parsed.success) {
        const { fieldErrors } = z.flattenError(parsed.error) as { fieldErrors: Record<string, string[]> };
        throw new AppError("invalid_input", "Please correct the highlighted fields.", fieldErrors);
      }
      return { ok: true, data: await handler(parsed.data, ctx) };
    } catch (err) {
      const e = toAppError(err);
      return { ok: false, error: { code: e.code, message: e.message, fieldErrors: e.fieldErrors } };
    }
  };
}
