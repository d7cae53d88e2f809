import { z } from "zod";
import type { ConnectionRow } from "@/lib/troubleshoot/connection-rows";
import type { RegistrationRow } from "@/lib/troubleshoot/registration-rows";

// Shapes shared by the provisioning service (lib/provisioning), its API (app/api/v1/subscribers) and its UI pages.
// The rows live in Kamailio's `subscriber` table (version 7) in the Kamailio database (KAMAILIO_DB_URL), not in
// kamdash's own. Secrets (password, ha1, ha1b) never appear in any of these read shapes.
//
// Service functions (lib/provisioning/service.ts; stable, for H7's pages):
//   reads, no actor (the caller checked "subscribers.read"):
//     listSubscribers(query) → SubscriberListPage;  getSubscriber(aor) → SubscriberDetail | null
//   writes, actor first (they check "subscribers.write" and audit):
//     addSubscriber(actor, body) · changeSubscriberPassword(actor, aor, body) · removeSubscriber(actor, aor, opts)
//     lib/provisioning/import.ts: prepareImport / runImport;  errors: ProvisioningError { status, message, fields }

/** One subscriber as listed: `aor` is "username@domain". */
export const subscriberRowSchema = z.object({
  aor: z.string(),
  username: z.string(),
  domain: z.string(),
  /** The subscriber table does not record who created a row (kamdash, kamctl, kamcli…): always null. */
  createdBy: z.null().optional(),
});
export type SubscriberRow = z.infer<typeof subscriberRowSchema>;

/** GET /api/v1/subscribers answer. `total` counts the rows matching `q` over every page. */
export type SubscriberListPage = { rows: SubscriberRow[]; total: number; page: number; pageSize: number };

/** GET /api/v1/subscribers query: `q` is a case-insensitive substring of "username@domain". */
export const subscriberListQuerySchema = z.object({
  q: z.string().trim().max(200, "at most 200 characters").default(""),
  page: z.coerce.number().int("page must be a whole number").min(1, "page starts at 1").default(1),
  pageSize: z.coerce.number().int().min(10, "at least 10 rows").max(500, "at most 500 rows").default(50),
});
export type SubscriberListQuery = z.infer<typeof subscriberListQuerySchema>;

/**
 * GET /api/v1/subscribers/{aor}: the row plus live state from the poller's last snapshot (lib/troubleshoot):
 * contacts registered for this AOR on every node (ul.dump) and the connections they are bound to (core.tcp_list).
 * `snapshotAt` is the ISO time of the oldest list used, null when no node was polled yet (then both lists are
 * empty because nothing is known, not because the user has no registration).
 */
export type SubscriberDetail = SubscriberRow & {
  registrations: RegistrationRow[];
  connections: ConnectionRow[];
  snapshotAt: string | null;
};

export const FIELD_NAMES = ["username", "domain", "password"] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
/** One message per rejected field, for humans ("must be at least 8 characters"). */
export type FieldErrors = Partial<Record<FieldName, string>>;

/** Error bodies: 400 { error, fields }, 404/409/503 { error }. */
export type ProvisioningErrorBody = { error: string; fields?: FieldErrors };

/** POST /api/v1/subscribers body: a password, or `generate: true` for a strong random one (shown once). */
export const createSubscriberBodySchema = z.union([
  z.object({
    username: z.string(),
    domain: z.string(),
    password: z.string(),
    generate: z.literal(false).optional(),
  }),
  z.object({ username: z.string(), domain: z.string(), generate: z.literal(true) }),
]);
export type CreateSubscriberBody = z.infer<typeof createSubscriberBodySchema>;
/** 201 answer; `generatedPassword` only when generated (shown once, never stored in clear unless configured). */
export type CreateSubscriberResult = { aor: string; generatedPassword?: string };

/** POST /api/v1/subscribers/{aor}/password body. */
export const changePasswordBodySchema = z.union([
  z.object({ password: z.string(), generate: z.literal(false).optional() }),
  z.object({ generate: z.literal(true) }),
]);
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;
export type ChangePasswordResult = { aor: string; generatedPassword?: string };

/** DELETE /api/v1/subscribers/{aor}?dropRegistrations=1&closeSockets=1 answer. Counts over every node. */
export type RemoveSubscriberResult = { aor: string; registrationsDropped: number; socketsClosed: number };

export const IMPORT_MODES = ["all_or_nothing", "skip_bad"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const importQuerySchema = z.object({
  dryRun: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  mode: z.enum(IMPORT_MODES).default("all_or_nothing"),
});

/** One rejected CSV row: `line` is the 1-based line in the file (the header is line 1). */
export type ImportRowError = { line: number; field: FieldName | "row"; message: string };
/**
 * POST /api/v1/subscribers/import answer: an application/x-ndjson stream of progress events, then one result.
 * `valid` rows passed validation; `imported` rows were written (0 on a dry run, 0 when all_or_nothing met errors).
 */
export type ImportProgressEvent = { type: "progress"; done: number; total: number };
export type ImportResultEvent = {
  type: "result";
  dryRun: boolean;
  mode: ImportMode;
  total: number;
  valid: number;
  imported: number;
  errors: ImportRowError[];
};
export type ImportFatalEvent = { type: "error"; error: string };
export type ImportEvent = ImportProgressEvent | ImportResultEvent | ImportFatalEvent;

export const SUBSCRIBER_HASHES = ["md5", "sha256"] as const;
export type SubscriberHash = (typeof SUBSCRIBER_HASHES)[number];

/**
 * What the provisioning pages show about the setup (lib/provisioning/config.ts `provisioningStatus()`).
 * `configured: false` → show "not configured: set KAMAILIO_DB_URL" (never an error page).
 * `dbSource: "lab"` → the URL came from .lab/lab.json because KAMAILIO_DB_URL is unset (say so).
 */
export type ProvisioningStatus =
  | {
      configured: true;
      dbSource: "env" | "lab";
      /** URL without its password, for display. */
      dbDisplay: string;
      domains: string[];
      domainsSource: "env" | "lab" | "none";
      hash: SubscriberHash;
      minPasswordLength: number;
      storesClearPassword: boolean;
    }
  | { configured: false; reason: string };
