import { type Permission, permissionsFor, type Role } from "./permissions";

// Who is making a request. Route handlers and pages receive one from the auth wrapper; lib code that records an
// audit entry uses actorLabel().

type ActorBase = { role: Role; permissions: ReadonlySet<Permission> };

export type OperatorActor = ActorBase & {
  kind: "operator";
  operatorId: number;
  username: string;
  sessionId: string;
  csrfToken: string;
};

export type TokenActor = ActorBase & { kind: "token"; tokenId: number; name: string; kiosk: boolean };

/** A wall screen that exchanged a kiosk token for a cookie: role viewer, kiosk permissions only. */
export type KioskActor = ActorBase & { kind: "kiosk"; tokenId: number; name: string };

/** `npx kamdash …` on the server's machine: whoever has a shell there is trusted like kamctl (admin). */
export type CliActor = ActorBase & { kind: "cli"; name: string };

export type Actor = OperatorActor | TokenActor | KioskActor | CliActor;

export function operatorActor(fields: Omit<OperatorActor, "kind" | "permissions">): OperatorActor {
  return { kind: "operator", ...fields, permissions: permissionsFor(fields.role, false) };
}

export function tokenActor(fields: Omit<TokenActor, "kind" | "permissions">): TokenActor {
  return { kind: "token", ...fields, permissions: permissionsFor(fields.role, fields.kiosk) };
}

export function kioskActor(fields: { tokenId: number; name: string }): KioskActor {
  return { kind: "kiosk", ...fields, role: "viewer", permissions: permissionsFor("viewer", true) };
}

/** The CLI as an actor; `name` is the OS user that ran it (audit rows read "cli:<name>"). */
export function cliActor(name: string): CliActor {
  return { kind: "cli", name, role: "admin", permissions: permissionsFor("admin", false) };
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** "operator:alice", "token:ci-exporter", "kiosk:noc-wall" — for audit rows and logs. */
export function actorLabel(actor: Actor): string {
  return actor.kind === "operator" ? `operator:${actor.username}` : `${actor.kind}:${actor.name}`;
}

/** What the browser may know about the current principal (no ids of secrets). */
export function publicActor(actor: Actor): {
  kind: Actor["kind"];
  name: string;
  role: Role;
  permissions: Permission[];
} {
  const name = actor.kind === "operator" ? actor.username : actor.name;
  return { kind: actor.kind, name, role: actor.role, permissions: [...actor.permissions].sort() };
}
