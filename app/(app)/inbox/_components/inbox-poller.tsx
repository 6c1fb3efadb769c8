"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { nextPollDelay, POLL_MS } from "@/lib/inbox/poll-delay";

/**
 * Keeps the inbox live without a reload: every few seconds, while the tab is visible, asks
 * /api/inbox/changes for a fingerprint of what the page shows and re-renders the page (server
 * side) only when it changed. A hidden tab stops polling and catches up when it comes back. A 429
 * is respected (it waits for Retry-After), and other failures back off (lib/inbox/poll-delay.ts).
 */
export function InboxPoller({ leadId, version }: { leadId?: string; version: string }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    seen.current = version;
  }, [version]);

  useEffect(() => {
    const url = `/api/inbox/changes${leadId ? `?lead=${leadId}` : ""}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    let failures = 0;
    // Not before this time, whatever the visibility does (a 429's Retry-After holds across it).
    let notBefore = Date.now() + POLL_MS;
    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(poll, ms);
    };
    const poll = async () => {
      timer = undefined;
      if (busy || document.visibilityState !== "visible") return;
      busy = true;
      let answer: { status: number | null; retryAfter?: string | null };
      try {
        const res = await fetch(url, { cache: "no-store" });
        answer = { status: res.status, retryAfter: res.headers.get("retry-after") };
        if (res.ok) {
          const { version: latest } = (await res.json()) as { version: string };
          if (latest !== seen.current) {
            seen.current = latest;
            router.refresh();
          }
        }
      } catch {
        // Offline for a moment: try again a little later.
        answer = { status: null };
      } finally {
        busy = false;
      }
      failures = answer.status !== null && answer.status >= 200 && answer.status < 300 ? 0 : failures + 1;
      const delay = nextPollDelay(answer, failures);
      notBefore = Date.now() + delay;
      if (document.visibilityState === "visible") schedule(delay);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        schedule(Math.max(0, notBefore - Date.now()));
      } else {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [leadId, router]);
  return null;
}
