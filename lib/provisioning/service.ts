import { z } from "zod";
import { fleetConnectionRows, fleetRegistrationRows } from "@/lib/troubleshoot/fleet-rows";
import { allNodeLists } from "@/lib/troubleshoot/list-store";
import { auditSubscriber, type ProvisioningActor, requireProvisioning } from "./audit";
import { type ProvisioningConfig, readProvisioningConfig, realmFor } from "./config";
import { invalidInput, ProvisioningError, subscriberNotFound } from "./errors";
import { generatePassword, subscriberHashes } from "./hash";
import { kamailioPool, subscriberColumns } from "./kamailio-db";
import { aorMatches, defaultLiveDeps, dropRegistrations, type LiveDeps, readLiveState } from "./live";
import * as store from "./store";
import type {
  ChangePasswordResult,
  CreateSubscriberResult,
  FieldErrors,
  RemoveSubscriberResult,
  SubscriberDetail,
  SubscriberListPage,
  SubscriberListQuery,
  SubscriberRow,
} from "./types";
import { hasErrors, parseAor, type ValidationRules, validatePassword, validateSubscriber } from "./validate";

// The subscriber service: the kamctl add / rm / passwd / show equivalent that the API, the UI's server actions and
// the CLI all call. Each operation checks the permission itself, validates, writes Kamailio's subscriber table and
// leaves one audit row (never with a password). Kamailio reads the table on each REGISTER: no restart, no reload.

export type ServiceDeps = { env: NodeJS.ProcessEnv; live: LiveDeps };

export type ProvisioningContext = {
  config: ProvisioningConfig;
  pool: ReturnType<typeof kamailioPool>;
  rules: ValidationRules;
};

/** The configured database and rules; 503 when no Kamailio database is configured. */
export async function provisioningContext(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProvisioningContext> {
  const read = readProvisioningConfig(env);
  if (!read.config) throw new ProvisioningError(503, read.reason);
  const { config } = read;
  const columns = await subscriberColumns(config.dbUrl);
  return {
    config,
    pool: kamailioPool(config.dbUrl),
    rules: {
      domains: config.domains,
      minPasswordLength: config.minPasswordLength,
      usernameMax: columns.username,
      domainMax: columns.domain,
      passwordMax: config.storeClearPassword ? columns.password : null,
    },
  };
}

function depsOf(deps: Partial<ServiceDeps>): ServiceDeps {
  return { env: deps.env ?? process.env, live: deps.live ?? defaultLiveDeps() };
}

const text = (field: string) =>
  z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === null) return "";
      if (typeof value === "string") return value;
      ctx.addIssue({ code: "custom", message: "must be text", path: [field] });
      return z.NEVER;
    });

const bodySchema = z.object({
  username: text("username"),
  domain: text("domain"),
  password: text("password"),
  generate: z
    .unknown()
    .optional()
    .transform((v) => v === true || v === "1" || v === "true"),
});

/** A JSON body as fields; a field of the wrong type becomes that field's message. */
function readBody(body: unknown): z.infer<typeof bodySchema> {
  const parsed = bodySchema.safeParse(typeof body === "object" && body !== null ? body : {});
  if (parsed.success) return parsed.data;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]) as keyof FieldErrors;
    fields[field] ??= issue.message;
  }
  throw invalidInput(fields);
}

/** The stored secrets for a password: hashes always, the clear text only when configured. */
function secretsFor(config: ProvisioningConfig, key: store.SubscriberKey, password: string) {
  const hashes = subscriberHashes({ ...key, password, realm: realmFor(config, key.domain) }, config.hash);
  return { ...hashes, password: config.storeClearPassword ? password : "" };
}

const aorOf = (key: store.SubscriberKey) => `${key.username}@${key.domain}`;

/** Parses an AOR from a path or the CLI and finds its row; 400 when it is not an AOR, 404 when not stored. */
async function existing(ctx: ProvisioningContext, aor: string): Promise<store.SubscriberKey> {
  const only = ctx.config.domains.length === 1 ? ctx.config.domains[0] : undefined;
  const key = parseAor(aor, only);
  if (!key) throw new ProvisioningError(400, `"${aor}" is not user@domain`, { username: "is required" });
  const row = await store.findSubscriber(ctx.pool, key);
  if (!row) throw subscriberNotFound(aorOf(key));
  return row;
}

/** Adds a subscriber ({ username, domain, password } or generate: true). 400 fields, 409 when it exists. */
export async function addSubscriber(
  actor: ProvisioningActor,
  body: unknown,
  deps: Partial<ServiceDeps> = {},
): Promise<CreateSubscriberResult> {
  requireProvisioning(actor, "subscribers.write");
  const input = readBody(body);
  const ctx = await provisioningContext(depsOf(deps).env);
  const password = input.generate ? generatePassword() : input.password;
  const fields = validateSubscriber({ ...input, password }, ctx.rules);
  if (hasErrors(fields)) throw invalidInput(fields);
  const key = { username: input.username, domain: input.domain.toLowerCase() };
  const inserted = await store.insertSubscriber(ctx.pool, {
    ...key,
    ...secretsFor(ctx.config, key, password),
  });
  if (!inserted) throw new ProvisioningError(409, `subscriber ${aorOf(key)} already exists`);
  await auditSubscriber(actor, {
    action: "subscriber.add",
    target: `subscriber:${aorOf(key)}`,
    detail: { generatedPassword: input.generate, hash: ctx.config.hash },
  });
  return { aor: aorOf(key), ...(input.generate ? { generatedPassword: password } : {}) };
}

/** Sets a new password ({ password } or generate: true); also clears a clear-text one kamcli stored. */
export async function changeSubscriberPassword(
  actor: ProvisioningActor,
  aor: string,
  body: unknown,
  deps: Partial<ServiceDeps> = {},
): Promise<ChangePasswordResult> {
  requireProvisioning(actor, "subscribers.write");
  const input = readBody(body);
  const ctx = await provisioningContext(depsOf(deps).env);
  const key = await existing(ctx, aor);
  const password = input.generate ? generatePassword() : input.password;
  const message = validatePassword(password, key.username, ctx.rules);
  if (message) throw invalidInput({ password: message });
  if (!(await store.updateSubscriberPassword(ctx.pool, key, secretsFor(ctx.config, key, password))))
    throw subscriberNotFound(aorOf(key));
  await auditSubscriber(actor, {
    action: "subscriber.passwd",
    target: `subscriber:${aorOf(key)}`,
    detail: { generatedPassword: input.generate, hash: ctx.config.hash },
  });
  return { aor: aorOf(key), ...(input.generate ? { generatedPassword: password } : {}) };
}

export type RemoveOptions = { dropRegistrations?: boolean; closeSockets?: boolean };

/**
 * Deletes the row; with `dropRegistrations` also removes its contacts from every node (ul.rm), with
 * `closeSockets` (implies dropping) also closes the WebSocket connections they were bound to (ws.close).
 */
export async function removeSubscriber(
  actor: ProvisioningActor,
  aor: string,
  options: RemoveOptions = {},
  deps: Partial<ServiceDeps> = {},
): Promise<RemoveSubscriberResult & { failures: string[] }> {
  requireProvisioning(actor, "subscribers.write");
  const d = depsOf(deps);
  const ctx = await provisioningContext(d.env);
  const key = await existing(ctx, aor);
  if (!(await store.deleteSubscriber(ctx.pool, key))) throw subscriberNotFound(aorOf(key));
  const live =
    options.dropRegistrations || options.closeSockets
      ? await dropRegistrations(d.live, key, options.closeSockets === true)
      : { registrationsDropped: 0, socketsClosed: 0, failures: [] };
  await auditSubscriber(actor, {
    action: "subscriber.remove",
    target: `subscriber:${aorOf(key)}`,
    detail: { ...live },
    result: live.failures.length === 0 ? "ok" : `ok, but: ${live.failures.join("; ")}`,
  });
  return { aor: aorOf(key), ...live };
}

/**
 * The row and its live state, or null when no such subscriber (or `aor` is not user@domain). Reads take no
 * actor: the caller checked "subscribers.read" (withAuth, requirePage); reads are not audited. From the poller's
 * snapshot by default (pages, API); `live: true` reads the nodes now instead (the CLI, which has no poller).
 */
export async function getSubscriber(
  aor: string,
  options: { live?: boolean } = {},
  deps: Partial<ServiceDeps> = {},
): Promise<(SubscriberDetail & { failures: string[] }) | null> {
  const d = depsOf(deps);
  const key = await existing(await provisioningContext(d.env), aor).catch((error: unknown) => {
    if (error instanceof ProvisioningError && (error.status === 404 || error.status === 400)) return null;
    throw error;
  });
  if (!key) return null;
  const row: SubscriberRow = { aor: aorOf(key), ...key, createdBy: null };
  if (options.live) {
    const state = await readLiveState(d.live, key);
    return { ...row, ...state, snapshotAt: new Date().toISOString() };
  }
  const lists = allNodeLists();
  const registrations = fleetRegistrationRows(lists).filter((r) => aorMatches(r.aor, key));
  const ids = new Set(registrations.map((r) => `${r.node}\u0000${r.connectionId}`));
  const connections = fleetConnectionRows(lists).filter((c) => ids.has(`${c.node}\u0000${c.id}`));
  const times = lists.flatMap((l) => (l.contacts ? [l.contacts.at] : [])).sort();
  return { ...row, registrations, connections, snapshotAt: times[0] ?? null, failures: [] };
}

/** getSubscriber with the permission check and a 404 (ProvisioningError) when missing: the API and the CLI. */
export async function showSubscriber(
  actor: ProvisioningActor,
  aor: string,
  options: { live?: boolean } = {},
  deps: Partial<ServiceDeps> = {},
): Promise<SubscriberDetail & { failures: string[] }> {
  requireProvisioning(actor, "subscribers.read");
  const found = await getSubscriber(aor, options, deps);
  if (!found) throw subscriberNotFound(aor);
  return found;
}

/**
 * One page of subscribers (every row of the table, whoever wrote it: kamdash, kamctl, kamcli), sorted by domain
 * then username. No actor: the caller checked "subscribers.read".
 */
export async function listSubscribers(
  query: SubscriberListQuery,
  deps: Partial<ServiceDeps> = {},
): Promise<SubscriberListPage> {
  const ctx = await provisioningContext(depsOf(deps).env);
  const { rows, total } = await store.listSubscriberKeys(ctx.pool, {
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return {
    rows: rows.map((key) => ({ aor: aorOf(key), ...key, createdBy: null })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
