import Link from "next/link";
import { LogoutButton } from "@/app/logout/logout-button";
import { type Actor, can } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { NavLinks } from "./nav-links";
import { SearchBox } from "./search-box";

const sections: { href: string; label: string; permission: Permission }[] = [
  { href: "/overview", label: "Overview", permission: "overview.read" },
  { href: "/connections", label: "Connections", permission: "connections.read" },
  { href: "/registrations", label: "Registrations", permission: "registrations.read" },
  { href: "/dialogs", label: "Dialogs", permission: "dialogs.read" },
  { href: "/subscribers", label: "Subscribers", permission: "subscribers.read" },
  { href: "/events", label: "Events", permission: "events.read" },
  { href: "/wall", label: "Wall", permission: "wall.read" },
  { href: "/admin", label: "Admin", permission: "admin.read" },
];

function actorName(actor: Actor): string {
  return actor.kind === "operator" ? actor.username : `${actor.kind} ${actor.name}`;
}

/** The top bar of the dashboard and admin pages (the wall has none). Shows only sections the actor may open. */
export function AppNav({ actor }: { actor: Actor | null }) {
  const links = actor
    ? sections.filter((s) => can(actor, s.permission)).map(({ href, label }) => ({ href, label }))
    : [];
  return (
    <header className="border-b border-tremor-border bg-tremor-background">
      <nav className="mx-auto flex max-w-screen-2xl items-center gap-6 px-6 py-3 text-sm" aria-label="Main">
        <Link href="/overview" className="font-semibold text-tremor-content-strong">
          kamdash
        </Link>
        <NavLinks links={links} />
        {actor ? (
          <div className="ml-auto flex items-center gap-4">
            {can(actor, "connections.read") ? <SearchBox /> : null}
            <span className="text-tremor-content" data-testid="nav-actor">
              {actorName(actor)} · {actor.role}
            </span>
            {actor.kind === "operator" ? <LogoutButton /> : null}
          </div>
        ) : null}
      </nav>
    </header>
  );
}
