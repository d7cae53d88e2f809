// Adds up vitest JSON reports and the plain checks into the closing `N passed, N failed` line.
// A suite whose report is missing (it crashed or never ran) counts as one failure: missing means failed.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [dir, checksPassed, checksFailed, ...suites] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);

for (const entry of suites) {
  const [label, file] = entry.split("=");
  const report = path.join(dir, `${file}.json`);
  if (!existsSync(report)) {
    console.log(`${label}: no report (suite did not run) — counted as 1 failed`);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, "utf8"));
  const p = json.numPassedTests ?? 0;
  // a file that failed to load has no test results of its own: count it once
  const brokenFiles = (json.testResults ?? []).filter(
    (r) => r.status === "failed" && (r.assertionResults ?? []).length === 0,
  ).length;
  const f = (json.numFailedTests ?? 0) + brokenFiles;
  const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  console.log(`${label}: ${p} passed, ${f} failed${skipped ? `, ${skipped} skipped` : ""}`);
  if (p + f === 0) {
    console.log(`${label}: ran no test — counted as 1 failed`);
    failed += 1;
  }
  if (skipped > 0) failed += skipped; // no suite may skip in CI
  passed += p;
  failed += f;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
