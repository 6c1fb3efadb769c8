import "server-only";
/**
 * userAction's counterpart for platform operators (who are members of no dealership): require a
 * signed-in operator, with a second factor (aal2), whose platform role holds the permission, parse the input with zod, run the
 * handler, and return the same typed result (`{ ok, data } | { ok: false, error }`), usable with
 * `useActionState` directly. The database checks the platform permission again in every function.
 */
import type { z } from "zod";
import type { PlatformPermission } from "@/lib/auth/permissions";
import { requireOperator, type Operator } from "./require-operator-page";
import { actionFailure, parseOrThrow, type ActionResult, type ServerAction } from "./user-action";

/** Define a server action for platform operators holding `permission`. */
export function operatorAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, operator: Operator) => Promise<T>,
  options: { permission: PlatformPermission },
): ServerAction<T> {
  return async function action(...args: unknown[]): Promise<ActionResult<T>> {
    try {
      const operator = await requireOperator(options.permission);
      // useActionState passes (previousState, payload); a direct call passes the input alone.
      const input = parseOrThrow(schema, args.length >= 2 ? args[1] : args[0]);
      return { ok: true, data: await handler(input, operator) };
    } catch (err) {
      return actionFailure(err);
    }
  };
}
