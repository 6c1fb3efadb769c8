"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

const POLL_MS = 4000;

/**
 * Keeps the inbox live without a reload: every few seconds, while the tab is visible, asks
 * /api/inbox/changes for a fingerprint of what the page shows and re-renders the page (server
 * side) only when it changed. A hidden tab stops polling and catches up when it comes back.
 */
export function InboxPoller({ leadId, version }: { leadId?: string; version: string }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    seen.current = version;
  }, [version]);

  useEffect(() => {
    const url = `/api/inbox/changes${leadId ? `?lead=${leadId}` : ""}`;
    let timer: ReturnType<typeof setInterval> | undefined;
    let busy = false;
    const poll = async () => {
      if (busy || document.visibilityState !== "visible") return;
      busy = true;
      try {
        const res = await fetch(url, { cache: "no-store" });
        if (!res.ok) return;
        const { version: latest } = (await res.json()) as { version: string };
        if (latest !== seen.current) {
          seen.current = latest;
          router.refresh();
        }
      } catch {
        // Offline for a moment: the next tick tries again.
      } finally {
        busy = false;
      }
    };
    const start = () => {
      timer ??= setInterval(poll, POLL_MS);
    };
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        void poll();
        start();
      } else {
        stop();
      }
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [leadId, router]);
  return null;
}
