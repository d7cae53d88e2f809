"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page's server components every `everyMs` (e.g. the last-hour chart from PostgreSQL). It runs as a
 * transition, so the current content stays on screen until the new one is ready; client state is kept.
 */
export function RefreshServerData({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
