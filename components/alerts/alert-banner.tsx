import { formatAge } from "@/components/live/fleet-view";

// Firing alerts as text: severity colour, the message (node, rule, value), and how long ago it fired.
// Nothing is rendered when no alert fires. Node names and messages are rendered as text, never as HTML.

export type BannerAlert = {
  ruleId: number;
  /** The rule's name (also inside `message`); a data attribute for tests and user styles. */
  rule?: string;
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

/** The wall shows this many alerts, most severe first, and one line for the rest (it must stay on one screen). */
export const WALL_MAX_ALERTS = 3;
const severityRank: Record<string, number> = { critical: 0, warning: 1, info: 2 };

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
  const sorted = [...alerts].sort(
    (a, b) => (severityRank[a.severity] ?? 3) - (severityRank[b.severity] ?? 3),
  );
  const shown =
    variant === "wall" && sorted.length > WALL_MAX_ALERTS ? sorted.slice(0, WALL_MAX_ALERTS - 1) : sorted;
  const rest = sorted.slice(shown.length);
  return (
    <ul className="flex flex-col gap-2" data-testid="alert-banner" aria-label="Firing alerts">
      {shown.map((alert) => (
        <li
          key={`${alert.ruleId}|${alert.node ?? ""}`}
          role="alert"
          data-severity={alert.severity}
          data-rule={alert.rule}
          data-node={alert.node ?? ""}
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
      {rest.length > 0 ? (
        <li
          role="alert"
          data-testid="alert-banner-more"
          className={`rounded font-medium ${size} ${classes[rest[0]?.severity ?? "warning"] ?? classes.warning}`}
        >
          +{rest.length} more firing ({summarize(rest)})
        </li>
      ) : null}
    </ul>
  );
}

/** "12 critical, 2 warning" for the alerts the wall does not list one by one. */
function summarize(alerts: readonly BannerAlert[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return [...counts.entries()].map(([severity, n]) => `${n} ${severity}`).join(", ");
}
