/**
 * Input validation shared by the campaign functions: zod errors become one AppError
 * ("invalid_input") with messages keyed by the form field (name, sendingNumberId, template,
 * audience, scheduledAt...), which the composer shows next to each field.
 */
import { z } from "zod";
import { AppError, ownSqlError, toAppError } from "@/lib/server/app-error";

/** A client-chosen key that makes a submission idempotent (generated when the form renders). */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,100}$/, "The form's idempotency key is malformed; reload the page.");

/** An AppError for a zod error; `field` puts every issue under one field (e.g. "audience"). */
export function invalidInput(error: z.ZodError, field?: string): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = field ?? String(issue.path[0] ?? "form");
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return new AppError("invalid_input", "Please correct the highlighted fields.", fieldErrors);
}

/** Parse with zod or throw invalid_input keyed by field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/**
 * The database's refusals as the AppError a form shows: our RL0xx codes (SQL_ERROR_MESSAGES),
 * a permission refusal (42501) and a rejected argument (22023). Anything else is rethrown as is.
 */
export function refusalAsAppError(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== "string") return err;
  if (code === "22023") return new AppError("invalid_input", "Some of the values are not valid.");
  if (code === "42501") return toAppError(err);
  return ownSqlError(err) ?? err;
}
