import { formatAge } from "@/components/live/fleet-view";
import type { ListAge } from "@/lib/troubleshoot/fleet-rows";

type Field = "connectionsAt" | "contactsAt" | "dialogsAt";

const SOURCE: Record<Field, string> = {
  connectionsAt: "core.tcp_list",
  contactsAt: "ul.dump",
  dialogsAt: "dlg.list",
};

/** Per node, how old each list on the page is; "not read yet" (never a blank) for a list the poller has not read. */
export function ListAges({ ages, fields, now }: { ages: ListAge[]; fields: Field[]; now: Date }) {
  if (ages.length === 0)
    return (
      <p className="text-sm text-tremor-content" data-testid="list-ages">
        No node has been polled since kamdash started: nothing to list yet.
      </p>
    );
  return (
    <ul className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-tremor-content" data-testid="list-ages">
      {ages.map((age) => (
        <li key={age.node}>
          <span className="font-medium text-tremor-content-strong">{age.node}</span>:{" "}
          {fields
            .map((f) => {
              const at = age[f];
              return `${SOURCE[f]} ${at ? `${formatAge(now.getTime() - Date.parse(at))} ago` : "not read yet"}`;
            })
            .join(", ")}
        </li>
      ))}
    </ul>
  );
}
