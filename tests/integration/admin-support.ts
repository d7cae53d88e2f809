import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createOperator } from "@/lib/auth/operators";
import type { Role } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/sessions";
import type { NextRouteContext, RouteParams } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db";
import { createTempAppDatabase } from "./app-database";

// Shared by the admin-* tests: a temp database behind getDb(), credentials per role, and route handlers called
// with real Requests the way Next calls them.

export const base = "http://127.0.0.1:3000";

/** One temp database for the file; nodes, audit rows and auth tables emptied before each test. */
export function setupAdminDatabase(): void {
  let database: { drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    database = await createTempAppDatabase("admin");
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    const db = await getDb();
    await db.auditLog.deleteMany();
    await db.kamailioNode.deleteMany();
    await db.session.deleteMany();
    await db.operator.deleteMany();
    await db.apiToken.deleteMany();
  });
}

/** Headers of an API script holding a bearer token of `role` (named `<role>-script`). */
export async function bearerHeaders(role: Role): Promise<Record<string, string>> {
  const { token } = await createApiToken({ name: `${role}-script`, role });
  return { authorization: `Bearer ${token}` };
}

export type BrowserSession = { cookie: string; csrf: string; username: string };

/** A signed-in operator of `role` (named `<role>-user`): its cookie header and CSRF token. */
export async function sessionFor(role: Role): Promise<BrowserSession> {
  const username = `${role}-user`;
  const operator = await createOperator({ username, password: "long enough password", role });
  const session = await createSession(operator.id);
  return { cookie: `kamdash_session=${session.token}`, csrf: session.csrfToken, username };
}

/** Same-origin browser headers with the CSRF token, as our pages send them. */
export function browserHeaders(session: BrowserSession): Record<string, string> {
  return { cookie: session.cookie, origin: base, "x-csrf-token": session.csrf };
}

type Handler<P extends RouteParams> = (request: Request, context: NextRouteContext<P>) => Promise<Response>;

export type Call = { headers: Record<string, string>; body?: unknown };

/** Calls a route handler with a real Request (JSON body when `body` is given). */
export function callRoute<P extends RouteParams>(
  handler: Handler<P>,
  method: string,
  path: string,
  params: P,
  call: Call,
): Promise<Response> {
  const headers: Record<string, string> = { host: "127.0.0.1:3000", ...call.headers };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`${base}${path}`, {
    method,
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

export type ErrorBody = {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
};

export async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  return ((await response.json()) as ErrorBody).error;
}

export async function auditRows() {
  return (await getDb()).auditLog.findMany({ orderBy: { id: "asc" } });
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
