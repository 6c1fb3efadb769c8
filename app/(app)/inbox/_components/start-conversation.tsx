"use client";

import Link from "next/link";
import { useActionState } from "react";
import { searchLeadsAction } from "../../leads/actions";

/** Find a lead by exact phone, e-mail or full name (posted, never in the URL) and open its thread. */
export function StartConversation() {
  const [state, action, pending] = useActionState(searchLeadsAction, null);
  return (
    <div className="space-y-2 p-4" data-test="start-conversation">
      {/* A form action (not onSubmit): even before hydration the term is posted, never put in the URL. */}
      <form action={action} className="flex gap-2">
        <input
          name="q"
          placeholder="Text a lead: phone, e-mail or full name"
          aria-label="Find a lead to text"
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
          data-test="start-conversation-query"
        />
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-slate-800 px-3 py-1 text-sm text-white"
          data-test="start-conversation-submit"
        >
          Find
        </button>
      </form>
      {state && !state.ok ? (
        <p className="text-sm text-red-700" role="alert">
          {state.error.message}
        </p>
      ) : null}
      {state?.ok && state.data.length === 0 ? <p className="text-sm text-slate-500">No lead matches exactly.</p> : null}
      {state?.ok && state.data.length > 0 ? (
        <ul className="space-y-1 text-sm" data-test="start-conversation-results">
          {state.data.map((hit) => (
            <li key={hit.id}>
              <Link href={`/inbox/${hit.id}`} prefetch={false} className="text-brand-700 hover:underline">
                {hit.name}
              </Link>{" "}
              <span className="font-mono text-slate-500">{hit.phone}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
