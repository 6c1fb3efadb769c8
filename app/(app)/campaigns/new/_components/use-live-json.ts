"use client";

import { useEffect, useState } from "react";

/** What a live JSON request is showing: nothing yet, loading, the last answer, or why it failed. */
export interface LiveJson<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * POST `body` as JSON to `url` a moment after it stops changing (debounced), keeping the last good
 * answer while a newer one loads. The body travels in the request body, never the URL (it may hold
 * a template; the answer may hold lead names). An aborted request (superseded) is ignored; a
 * refusal shows the server's own message (e.g. "Too many attempts. Try again in 20 seconds.").
 */
export function useLiveJson<T>(url: string, body: unknown, enabled: boolean, delayMs = 400): LiveJson<T> {
  const [state, setState] = useState<LiveJson<T>>({ data: null, error: null, loading: false });
  const key = enabled ? JSON.stringify(body) : null;
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: key,
          signal: controller.signal,
          cache: "no-store",
        });
        const json = (await res.json().catch(() => null)) as
          (T & { error?: undefined }) | { error?: { message?: string } } | null;
        if (!res.ok) {
          const message = (json as { error?: { message?: string } } | null)?.error?.message;
          setState((s) => ({ data: s.data, loading: false, error: message ?? `The server answered ${res.status}.` }));
        } else {
          setState({ data: json as T, error: null, loading: false });
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((s) => ({
          data: s.data,
          loading: false,
          error: err instanceof Error ? "Could not reach the server." : String(err),
        }));
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [url, key, delayMs]);
  return state;
}
