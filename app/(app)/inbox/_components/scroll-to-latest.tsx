"use client";

import { useEffect, useRef } from "react";

/** Keeps the newest message in view when the thread opens and whenever a message arrives. */
export function ScrollToLatest({ count }: { count: number }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: "nearest" });
  }, [count]);
  return <div ref={end} aria-hidden />;
}
