"use client";

import { useRef, useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/server/user-action";
import { ReauthDialog } from "./reauth-dialog";

/**
 * A form for a destructive or sensitive action (`{ recentAuth: true }` on the server). When the
 * action answers `reauthentication_required`, it asks for the password or code (ReauthDialog),
 * then submits the same values again. Refusals show inside the form; nothing typed is lost.
 */
export function SensitiveForm<T>({
  action,
  mfa,
  children,
  className,
  confirm,
  onSuccess,
  resetOnSuccess,
  test,
  errorTest,
}: {
  action: (input: FormData) => Promise<ActionResult<T>>;
  /** The user has a second factor: step-up asks for a code instead of the password. */
  mfa: boolean;
  children: (pending: boolean, result: ActionResult<T> | null) => ReactNode;
  className?: string;
  /** Asked with window.confirm before anything is sent (e.g. "Remove this member?"). */
  confirm?: string;
  onSuccess?: (data: T) => void;
  /** Clear the fields once the action succeeded (a refusal keeps them to be corrected). */
  resetOnSuccess?: boolean;
  test?: string;
  /** data-test of the refusal message (default `${test}-error`). */
  errorTest?: string;
}) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [asking, setAsking] = useState(false);
  const saved = useRef<FormData | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const run = (data: FormData) =>
    startTransition(async () => {
      const outcome = await action(data);
      if (!outcome.ok && outcome.error.code === "reauthentication_required") {
        saved.current = data;
        setResult(null);
        setAsking(true);
        return;
      }
      setResult(outcome);
      if (!outcome.ok) return;
      if (resetOnSuccess) form.current?.reset();
      onSuccess?.(outcome.data);
    });

  return (
    <>
      <form
        ref={form}
        method="post"
        className={className}
        data-test={test}
        onSubmit={(e) => {
          e.preventDefault();
          if (confirm && !window.confirm(confirm)) return;
          run(new FormData(e.currentTarget));
        }}
      >
        {children(pending, result)}
        {result && !result.ok ? (
          <span
            role="alert"
            className="text-sm text-red-700"
            data-test={errorTest ?? (test ? `${test}-error` : "sensitive-error")}
          >
            {Object.values(result.error.fieldErrors ?? {}).flat()[0] ?? result.error.message}
          </span>
        ) : null}
      </form>
      <ReauthDialog
        open={asking}
        mfa={mfa}
        onCancel={() => setAsking(false)}
        onConfirmed={() => {
          setAsking(false);
          if (saved.current) run(saved.current);
        }}
      />
    </>
  );
}
