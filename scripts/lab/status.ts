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
  console.log(status.up ? "lab: up" : "lab: DOWN");
  if (!status.up) process.exitCode = 1;
} catch (error) {
  failAndExit(error);
}
