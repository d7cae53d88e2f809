// npm run lab:status [-- --state-dir DIR] [--netns NAME]; exits 1 when the lab is not up
import { failAndExit, parseLabArgs } from "./cli-args";
import { labStatus } from "./lab";

try {
  const status = await labStatus(parseLabArgs(process.argv.slice(2)));
  console.log(JSON.stringify(status.config, null, 2) ?? "no lab.json");
  for (const [name, proc] of [
    ["kamailio", status.kamailio],
    ["rtpengine", status.rtpengine],
  ] as const) {
    console.log(
      `${name}: PID ${proc.pid ?? "-"}, ${proc.alive ? "alive" : "not running"}, ${proc.answering ? "answering" : "not answering"}`,
    );
  }
  // recorded by lab:up when it (re)started or found Kamailio; none recorded = a lab from before the option: db_mode 0
  const dbOnly = status.kamailioMode?.usrlocDbMode === 3;
  console.log(`kamailio usrloc: ${dbOnly ? "db_mode 3 (DB only, table location)" : "db_mode 0 (in memory)"}`);
  console.log(status.up ? "lab: up" : "lab: DOWN");
  if (!status.up) process.exitCode = 1;
} catch (error) {
  failAndExit(error);
}
