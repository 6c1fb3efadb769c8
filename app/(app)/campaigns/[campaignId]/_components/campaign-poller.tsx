"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { nextPollDelay, POLL_MS } from "@/lib/inbox/poll-delay";

/**
 * Keeps the campaign page live: every few seconds, while the tab is visible, asks
 * /api/campaigns/<id>/progress (its own "poll" rate limit) for the campaign's progress and
 * re-renders the page on the server only when the fingerprint changed (a send, a delivery, a
 * reply, a pause). A hidden tab stops; a 429 waits for Retry-After; failures back off, as the
 * inbox's poller does (lib/inbox/poll-delay.ts).
 */
export function CampaignPoller({ campaignId, version }: { campaignId: string; version: string }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    seen.current = version;
  }, [version]);

  useEffect(() => {
    const url = `/api/campaigns/${campaignId}/progress`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    let failures = 0;
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
      if (document.visibilityState === "visible") schedule(Math.max(0, notBefore - Date.now()));
      else {
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
  }, [campaignId, router]);
  return null;
}
