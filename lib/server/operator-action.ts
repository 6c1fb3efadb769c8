import "server-only";
/**
 * userAction's counterpart for platform operators (who are members of no dealership): require a
 * signed-in operator whose platform role holds the permission, parse the input with zod, run the
 * handler, and return the same typed result (`{ ok, data } | { ok: false, error }`), usable with
 * `useActionState` directly. The database checks the platform permission again in every function.
 */
import type { z } from "zod";
import type { VerifiedClaims } from "@/lib/auth/claims";
import { platformCan, type PlatformPermission, type PlatformRole } from "@/lib/auth/permissions";
import { AppError } from "./app-error";
import { getOperator } from "./require-operator-page";
import { actionFailure, parseOrThrow, type ActionResult, type ServerAction } from "./user-action";

/** Define a server action for platform operators holding `permission`. */
export function operatorAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, operator: { claims: VerifiedClaims; role: PlatformRole }) => Promise<T>,
  options: { permission: PlatformPermission },
): ServerAction<T> {
  return async function action(...args: unknown[]): Promise<ActionResult<T>> {
    try {
      const operator = await getOperator();
      if (!operator) throw new AppError("forbidden", "Only platform operators can do that.");
      if (!platformCan(operator.role, options.permission))
        throw new AppError("forbidden", "Your role does not allow this.");
      // useActionState passes (previousState, payload); a direct call passes the input alone.
      const input = parseOrThrow(schema, args.length >= 2 ? args[1] : args[0]);
      return { ok: true, data: await handler(input, operator) };
    } catch (err) {
      return actionFailure(err);
    }
  };
}
