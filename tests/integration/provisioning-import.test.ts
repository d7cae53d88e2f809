import { describe, expect, it } from "vitest";
import * as importer from "@/app/api/v1/subscribers/import/route";
import type { ImportEvent, ImportResultEvent } from "@/lib/provisioning/types";
import { bearerHeaders, setupAdminDatabase } from "./admin-support";
import { kamailioDb, OTHER_DOMAIN, setupProvisioning, tableChecksum } from "./provisioning-support";

// Bulk import through the API: 10,000 rows with 50 bad ones. The dry run names the 50 with their lines and writes
// nothing; all-or-nothing writes nothing; skip_bad imports the 9,950 others, with progress on the way.

setupAdminDatabase();
setupProvisioning();

const ROWS = 10_000;
/** Every 200th row has a weak password: 50 bad rows, on lines 201, 401, … (header is line 1). */
function bulkCsv(): { csv: string; badLines: number[] } {
  const lines = ["username,domain,password"];
  const badLines: number[] = [];
  for (let i = 0; i < ROWS; i += 1) {
    const bad = (i + 1) % 200 === 0;
    if (bad) badLines.push(i + 2);
    lines.push(`kd9-bulk-${i},${OTHER_DOMAIN},${bad ? "weak" : `password-${i}`}`);
  }
  return { csv: `${lines.join("\n")}\n`, badLines };
}

async function runImport(
  query: string,
  csv: string,
): Promise<{ events: ImportEvent[]; result: ImportResultEvent }> {
  const headers = {
    ...(await bearerHeaders("operator")),
    "content-type": "text/csv",
    host: "127.0.0.1:3000",
  };
  const request = new Request(`http://127.0.0.1:3000/api/v1/subscribers/import?${query}`, {
    method: "POST",
    headers,
    body: csv,
  });
  const response = await importer.POST(request, { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/x-ndjson");
  const events = (await response.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as ImportEvent);
  const result = events.at(-1);
  if (result?.type !== "result") throw new Error(`no result: ${JSON.stringify(result)}`);
  return { events, result };
}

const bulkRows = async () =>
  Number(
    (await kamailioDb().query("SELECT count(*) AS n FROM subscriber WHERE username LIKE 'kd9-bulk-%'"))
      .rows[0].n,
  );

describe("subscriber import", () => {
  it("10,000 rows with 50 bad: dry run lists them by line, all-or-nothing writes nothing, skip_bad the rest", async () => {
    const { csv, badLines } = bulkCsv();
    const before = await tableChecksum();
    const dry = await runImport("dryRun=1", csv);
    expect(dry.result).toMatchObject({ dryRun: true, total: ROWS, valid: ROWS - 50, imported: 0 });
    expect(dry.result.errors.map((e) => e.line)).toEqual(badLines);
    expect(dry.result.errors[0]).toEqual({
      line: 201,
      field: "password",
      message: "must be at least 8 characters",
    });
    expect(dry.events.filter((e) => e.type === "progress").length).toBeGreaterThanOrEqual(5);

    const strict = await runImport("mode=all_or_nothing", csv);
    expect(strict.result).toMatchObject({ dryRun: false, imported: 0 });
    expect(strict.result.errors).toHaveLength(50);
    expect(await tableChecksum()).toBe(before);

    const started = performance.now();
    const skipping = await runImport("mode=skip_bad", csv);
    const seconds = (performance.now() - started) / 1000;
    console.log(`[kd9] imported ${skipping.result.imported} rows in ${seconds.toFixed(2)} s`);
    expect(skipping.result).toMatchObject({ dryRun: false, total: ROWS, imported: ROWS - 50 });
    const progress = skipping.events.filter((e) => e.type === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toEqual({ type: "progress", done: ROWS, total: ROWS });
    expect(await bulkRows()).toBe(ROWS - 50);

    const again = await runImport("dryRun=1", csv);
    expect(again.result.errors.filter((e) => e.message.endsWith("already exists"))).toHaveLength(ROWS - 50);
  });
});
