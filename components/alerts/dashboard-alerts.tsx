import { getFleetSnapshot } from "@/lib/poller/live";
import { LiveAlertBanner } from "./live-alert-banner";

/** Server part of the dashboard banner: the firing alerts of the live snapshot at render time. */
export function DashboardAlerts() {
  return <LiveAlertBanner initial={getFleetSnapshot().alerts} />;
}
