import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { auditSubscriber, type ProvisioningActor, requireProvisioning } from "./audit";
import { realmFor } from "./config";
import { ProvisioningError } from "./errors";
import { subscriberHashes } from "./hash";
import { inTransaction, type Queryable } from "./kamailio-db";
import type { ServiceDeps } from "./service";
import { provisioningContext } from "./service";
import * as store from "./store";
import type { FieldName, ImportMode, ImportResultEvent, ImportRowError } from "./types";
import { validateSubscriber } from "./validate";

// Bulk import from CSV (csv-parse): a header naming `username`, `password` and optionally `domain` (default: the one
// served domain), other columns ignored. Every row is validated like a single add; duplicates in the file and rows
// that already exist are errors with their line. all_or_nothing writes nothing when any row is bad; skip_bad writes
// the good rows. The write is one transaction of multi-row INSERTs (1,000 rows each).

export const IMPORT_MAX_ROWS = 100_000;
const CHUNK = 1_000;

type CsvRow = { line: number; username: string; domain: string; password: string };
export type PreparedImport = { rows: CsvRow[]; errors: ImportRowError[] };

/** Parses the CSV; 400 for a file that is not CSV or has no usable header (nothing else is checked yet). */
export function prepareImport(
  actor: ProvisioningActor,
  csv: string,
  defaultDomain: string | undefined,
): PreparedImport {
  requireProvisioning(actor, "subscribers.write");
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // with `info: true` csv-parse yields { record, info } (its typings describe only the plain records)
    records = parse(csv, {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    const message = error instanceof Error ? error.message : String(error);
    throw new ProvisioningError(400, `not valid CSV${line ? ` (line ${line})` : ""}: ${message}`);
  }
  const [header, ...body] = records;
  const columns = (header?.record ?? []).map((name) => name.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name);
  if (at("username") === -1 || at("password") === -1)
    throw new ProvisioningError(400, "the first line must be a header naming username, domain and password");
  if (body.length > IMPORT_MAX_ROWS)
    throw new ProvisioningError(400, `at most ${IMPORT_MAX_ROWS} rows per import`);
  const errors: ImportRowError[] = [];
  const rows: CsvRow[] = [];
  for (const { record, info } of body) {
    const cell = (name: string) => (at(name) === -1 ? undefined : record[at(name)]);
    const domain = cell("domain") ?? defaultDomain;
    if (domain === undefined) {
      errors.push({
        line: info.lines,
        field: "domain",
        message: "is required (no domain column, several domains)",
      });
      continue;
    }
    rows.push({
      line: info.lines,
      username: cell("username") ?? "",
      domain,
      password: cell("password") ?? "",
    });
  }
  return { rows, errors };
}

function rowError(line: number, field: FieldName | "row", message: string): ImportRowError {
  return { line, field, message };
}

export type ImportOptions = {
  dryRun: boolean;
  mode: ImportMode;
  /** Called after each chunk of rows checked (dry run) or written: `done` of `total` rows. */
  onProgress?: (done: number, total: number) => void;
};

/** Validates every row, then (unless a dry run) writes the good ones; one audit row for a real run. */
export async function runImport(
  actor: ProvisioningActor,
  prepared: PreparedImport,
  options: ImportOptions,
  deps: Partial<ServiceDeps> = {},
): Promise<ImportResultEvent> {
  requireProvisioning(actor, "subscribers.write");
  const ctx = await provisioningContext(deps.env ?? process.env);
  const total = prepared.rows.length + prepared.errors.length;
  const errors = [...prepared.errors];
  const firstLine = new Map<string, number>();
  const valid: (CsvRow & { key: string })[] = [];
  for (const row of prepared.rows) {
    const fields = validateSubscriber(row, ctx.rules);
    const entries = Object.entries(fields) as [FieldName, string][];
    for (const [field, message] of entries) errors.push(rowError(row.line, field, message));
    if (entries.length > 0) continue;
    const key = `${row.username}@${row.domain.toLowerCase()}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      errors.push(rowError(row.line, "username", `${key} is already on line ${first}`));
      continue;
    }
    firstLine.set(key, row.line);
    valid.push({ ...row, domain: row.domain.toLowerCase(), key });
  }
  const progress = (done: number) => options.onProgress?.(Math.min(done, total), total);
  const checkExisting = async (db: Queryable, report: boolean) => {
    const clashes: ImportRowError[] = [];
    for (let i = 0; i < valid.length; i += CHUNK) {
      const chunk = valid.slice(i, i + CHUNK);
      const exists = await store.existingKeys(db, chunk);
      for (const row of chunk)
        if (exists.has(row.key)) clashes.push(rowError(row.line, "username", `${row.key} already exists`));
      if (report) progress(prepared.errors.length + i + chunk.length);
    }
    return clashes;
  };
  const finish = (imported: number, all: ImportRowError[]): ImportResultEvent => ({
    type: "result",
    dryRun: options.dryRun,
    mode: options.mode,
    total,
    valid: total - new Set(all.map((e) => e.line)).size,
    imported,
    errors: all.sort((a, b) => a.line - b.line),
  });
  if (options.dryRun) {
    const clashes = await checkExisting(ctx.pool, true);
    progress(total);
    return finish(0, [...errors, ...clashes]);
  }
  if (options.mode === "all_or_nothing" && errors.length > 0) {
    // nothing will be written: still say which rows already exist, so one fix-up round is enough
    return finish(0, [...errors, ...(await checkExisting(ctx.pool, false))]);
  }
  const outcome = await inTransaction(ctx.pool, async (client) => {
    // other writers (kamcli, the UI) wait until this import commits: existence checked here stays true
    await client.query("LOCK TABLE subscriber IN SHARE ROW EXCLUSIVE MODE");
    const clashes = await checkExisting(client, false);
    if (clashes.length > 0 && options.mode === "all_or_nothing") return { imported: 0, clashes };
    const clashLines = new Set(clashes.map((c) => c.line));
    const writable = valid.filter((row) => !clashLines.has(row.line));
    let imported = 0;
    for (let i = 0; i < writable.length; i += CHUNK) {
      const chunk = writable.slice(i, i + CHUNK).map((row) => {
        const hashes = subscriberHashes({ ...row, realm: realmFor(ctx.config, row.domain) }, ctx.config.hash);
        return {
          username: row.username,
          domain: row.domain,
          ...hashes,
          password: ctx.config.storeClearPassword ? row.password : "",
        };
      });
      const result = await store.insertSubscriberBatch(client, chunk);
      if (result.conflicts.length > 0)
        throw new ProvisioningError(
          409,
          "a row was added by someone else meanwhile: nothing imported, try again",
        );
      imported += result.inserted;
      progress(prepared.errors.length + errors.length + imported + clashes.length);
    }
    return { imported, clashes };
  });
  const all = [...errors, ...outcome.clashes];
  await auditSubscriber(actor, {
    action: "subscriber.import",
    target: "subscribers:import",
    detail: { mode: options.mode, total, imported: outcome.imported, rejected: all.length },
  });
  progress(total);
  return finish(outcome.imported, all);
}

/** The CSV export: "username,domain" header and one line per subscriber (no secrets), in batches. */
export async function* exportSubscribersCsv(deps: Partial<ServiceDeps> = {}): AsyncGenerator<string> {
  const ctx = await provisioningContext(deps.env ?? process.env);
  yield stringify([["username", "domain"]]);
  let batch: string[][] = [];
  for await (const key of store.allSubscriberKeys(ctx.pool)) {
    batch.push([key.username, key.domain]);
    if (batch.length === CHUNK) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringify(batch);
}
