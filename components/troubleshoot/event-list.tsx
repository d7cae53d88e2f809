import { formatAge } from "@/components/live/fleet-view";
import type { EventItem } from "@/lib/metrics/queries/getEvents";

/** Events newest first, as text (messages quote SIP fields the users control). */
export function EventList({ events, now }: { events: EventItem[]; now: Date }) {
  if (events.length === 0) return <p className="text-sm text-tremor-content">No event recorded.</p>;
  return (
    <ul className="divide-y divide-tremor-border text-sm" data-testid="event-list">
      {events.map((event) => (
        <li key={event.id} className="flex gap-3 py-1">
          <time dateTime={event.at} className="w-20 shrink-0 text-tremor-content" title={event.at}>
            {formatAge(now.getTime() - Date.parse(event.at))} ago
          </time>
          <span className="w-16 shrink-0 text-tremor-content">{event.node ?? "fleet"}</span>
          <span className="w-44 shrink-0 font-mono text-xs">{event.kind}</span>
          <span className="break-words">{event.message}</span>
        </li>
      ))}
    </ul>
  );
}
