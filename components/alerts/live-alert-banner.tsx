"use client";

import { useEffect, useState } from "react";
import { AlertsResponseSchema } from "@/lib/alerts/api-schema";
import { AlertBanner, type BannerAlert } from "./alert-banner";

/** How often dashboard pages re-read the firing alerts, ms. */
const REFRESH_MS = 10_000;

/**
 * The banner on every dashboard page: starts from the server-rendered alerts and re-reads GET /api/v1/alerts
 * every 10 s; a failed read keeps the last list on screen.
 */
export function LiveAlertBanner({ initial }: { initial: BannerAlert[] }) {
  const [alerts, setAlerts] = useState(initial);
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const refresh = setInterval(async () => {
      try {
        const response = await fetch("/api/v1/alerts", { cache: "no-store" });
        if (!response.ok) return;
        const { firing } = AlertsResponseSchema.parse(await response.json());
        setAlerts(
          firing.map((a) => ({
            ruleId: a.ruleId,
            rule: a.rule,
            node: a.node,
            severity: a.severity,
            since: a.firedAt ?? new Date().toISOString(),
            message: a.message,
          })),
        );
      } catch {
        // keep the last list
      }
    }, REFRESH_MS);
    return () => {
      clearInterval(tick);
      clearInterval(refresh);
    };
  }, []);
  if (alerts.length === 0) return null;
  return (
    <div className="mx-auto max-w-screen-2xl px-6 pt-4">
      <AlertBanner alerts={alerts} now={now} />
    </div>
  );
}
