"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { markThreadReadAction } from "../actions";

/**
 * Opened and visible means read: marks the thread read through a server action (the page never
 * writes while rendering), then re-renders so the list's unread badge goes away. A tab opened in
 * the background waits until it is shown; a message that arrives while the thread is open is
 * marked read when the poller brings it in (the version changes).
 */
export function MarkThreadRead({ leadId, unread, version }: { leadId: string; unread: boolean; version: string }) {
  const router = useRouter();
  useEffect(() => {
    if (!unread) return;
    let sent = false;
    const mark = async () => {
      if (sent || document.visibilityState !== "visible") return;
      sent = true;
      const result = await markThreadReadAction({ leadId });
      if (result.ok && result.data.changed) router.refresh();
    };
    void mark();
    document.addEventListener("visibilitychange", mark);
    return () => document.removeEventListener("visibilitychange", mark);
  }, [leadId, unread, version, router]);
  return null;
}
