import { formatAge } from "@/components/live/fleet-view";

// Firing alerts as text: severity colour, the message (node, rule, value), and how long ago it fired.
// Nothing is rendered when no alert fires. Node names and messages are rendered as text, never as HTML.

export type BannerAlert = {
  ruleId: number;
  node: string | null;
  severity: "info" | "warning" | "critical" | string;
  /** ISO time it fired. */
  since: string;
  message: string;
};

const PAGE_CLASSES: Record<string, string> = {
  critical: "border-red-300 bg-red-50 text-red-900",
  warning: "border-amber-300 bg-amber-50 text-amber-900",
  info: "border-blue-300 bg-blue-50 text-blue-900",
};
const WALL_CLASSES: Record<string, string> = {
  critical: "border-red-300 bg-red-700 text-white",
  warning: "border-amber-300 bg-amber-700 text-amber-50",
  info: "border-sky-300 bg-sky-800 text-sky-50",
};

/** `now`: browser time in ms (null while hydrating: the age is left out rather than guessed). */
export function AlertBanner({
  alerts,
  now,
  variant = "page",
}: {
  alerts: readonly BannerAlert[];
  now: number | null;
  variant?: "page" | "wall";
}) {
  if (alerts.length === 0) return null;
  const classes = variant === "wall" ? WALL_CLASSES : PAGE_CLASSES;
  const size = variant === "wall" ? "text-3xl px-5 py-3 border-2" : "text-sm px-3 py-2 border";
  return (
    <ul className="flex flex-col gap-2" data-testid="alert-banner" aria-label="Firing alerts">
      {alerts.map((alert) => (
        <li
          key={`${alert.ruleId}|${alert.node ?? ""}`}
          role="alert"
          data-severity={alert.severity}
          className={`flex items-baseline justify-between gap-4 rounded font-medium ${size} ${
            classes[alert.severity] ?? classes.warning
          }`}
        >
          <span>
            <span className="font-bold uppercase">{alert.severity}</span> · {alert.message}
          </span>
          <span className="whitespace-nowrap opacity-80">
            {now === null ? null : `since ${formatAge(now - Date.parse(alert.since))}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
