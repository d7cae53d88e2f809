"use client";

import { useEffect, useRef, useState } from "react";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import type { ReceivedFleet } from "./fleet-view";
import { connectLiveFleet, type LiveStatus } from "./live-fleet-connection";

export const STREAM_URL = "/api/v1/stream";
export const OVERVIEW_URL = "/api/v1/overview";

export type LiveFleet = {
  received: ReceivedFleet;
  status: LiveStatus;
  /** Browser time, ticking once a second; null during server rendering and hydration. */
  now: number | null;
};

/**
 * The live fleet snapshot for client components: starts from the server-rendered snapshot, then follows the SSE
 * stream (polling fallback). The last snapshot stays in place until a newer one arrives.
 */
export function useLiveFleet(initial: OverviewResponse): LiveFleet {
  const [received, setReceived] = useState<ReceivedFleet>({ fleet: initial, receivedAt: null });
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [now, setNow] = useState<number | null>(null);
  const intervalMs = useRef(initial.intervalMs);

  useEffect(() => {
    setReceived((r) => (r.receivedAt === null ? { ...r, receivedAt: Date.now() } : r));
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const disconnect = connectLiveFleet({
      streamUrl: STREAM_URL,
      pollUrl: OVERVIEW_URL,
      intervalMs: () => intervalMs.current,
      onFleet: (fleet) => {
        intervalMs.current = fleet.intervalMs;
        const at = Date.now();
        setReceived({ fleet, receivedAt: at });
        setNow(at);
      },
      onStatus: setStatus,
    });
    return () => {
      clearInterval(tick);
      disconnect();
    };
  }, []);

  return { received, status, now };
}
