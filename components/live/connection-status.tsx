import type { LiveStatus } from "./live-fleet-connection";

const labels: Record<LiveStatus, string> = {
  connecting: "connecting…",
  live: "live",
  polling: "polling — stream reconnecting…",
  reconnecting: "reconnecting…",
  unauthorized: "signed out — sign in again",
};

const dotClasses: Record<LiveStatus, string> = {
  connecting: "bg-gray-400",
  live: "bg-emerald-500",
  polling: "bg-amber-400",
  reconnecting: "bg-amber-500 animate-pulse",
  unauthorized: "bg-red-500",
};

/** How the page receives data right now; the last values stay on screen whatever it says. */
export function ConnectionStatus({ status, className = "" }: { status: LiveStatus; className?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-2 ${className}`}
      data-testid="live-status"
      data-status={status}
      role="status"
    >
      <span className={`inline-block h-2.5 w-2.5 rounded-full ${dotClasses[status]}`} aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
