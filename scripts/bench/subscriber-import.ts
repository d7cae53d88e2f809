// npm run bench -- --subscriber-import [--rows 10000]: the subscriber CSV import's rate (rows/s) on the lab's
// Kamailio database: a dry run and a real skip_bad run of N rows (1 in 200 bad), audit rows in a temp kamdash
// database. Rows are named kd9-bench-* and removed afterwards.
import { parseArgs } from "node:util";
import { closeDb } from "@/lib/db";
import { prepareImport, runImport } from "@/lib/provisioning/import";
import { closeKamailioPools, kamailioPool } from "@/lib/provisioning/kamailio-db";
import { createTempPostgres } from "../../tests/support/temp-postgres";
import { readLabConfig } from "../lab/lab";

export async function runSubscriberImportBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: { rows: { type: "string", default: "10000" } },
  });
  const rows = Number(values.rows);
  const lab = await readLabConfig();
  const domain = "kd9-bench.example.org";
  const dbUrl = process.env.KAMAILIO_DB_URL || lab.db;
  process.env.KAMAILIO_DB_URL = dbUrl;
  process.env.KAMDASH_SIP_DOMAINS = domain;
  const appDb = await createTempPostgres("benchimport", process.env.KAMDASH_BENCH_PG_ADMIN_URL);
  process.env.DATABASE_URL = appDb.url;
  const pool = kamailioPool(dbUrl);
  const cleanup = () => pool.query("DELETE FROM subscriber WHERE username LIKE 'kd9-bench-%'");
  try {
    await cleanup();
    const lines = ["username,domain,password"];
    for (let i = 0; i < rows; i += 1)
      lines.push(`kd9-bench-${i},${domain},${(i + 1) % 200 === 0 ? "weak" : `password-${i}`}`);
    const csv = `${lines.join("\n")}\n`;
    for (const dryRun of [true, false]) {
      const started = performance.now();
      const result = await runImport("cli", prepareImport("cli", csv, domain), { dryRun, mode: "skip_bad" });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `subscriber import ${dryRun ? "dry run" : "skip_bad"}: ${rows} rows, ${result.errors.length} bad, ` +
          `${result.imported} imported in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s`,
      );
    }
  } finally {
    await cleanup();
    await closeKamailioPools();
    await closeDb();
    await appDb.drop();
  }
}
