// npm run lab:up [-- --users N] [--state-dir DIR] [--netns NAME] [--db-url URL] [--usrloc-db-only]
// --usrloc-db-only: Kamailio's usrloc in db_mode 3 (contacts only in the lab database's `location` table, emptied
// at Kamailio's start); without it Kamailio runs (or is restarted into) the default db_mode 0 (memory only).
import { failAndExit, parseLabArgs } from "./cli-args";
import { labUp, statePaths } from "./lab";

try {
  const options = parseLabArgs(process.argv.slice(2));
  const started = Date.now();
  const result = await labUp(options);
  const paths = statePaths(options.stateDir);
  const verb = (fresh: boolean) => (fresh ? "started" : "already running");
  const usrloc = options.usrlocDbOnly ? "usrloc db_mode 3, DB only" : "usrloc db_mode 0, in memory";
  console.log(`lab: kamailio PID ${result.kamailio.pid} (${verb(result.kamailio.started)}; ${usrloc})`);
  console.log(`lab: rtpengine PID ${result.rtpengine.pid} (${verb(result.rtpengine.started)})`);
  console.log(`lab: ${result.config.users.length} users, RPC ${result.config.rpc}, ${paths.labJson}`);
  console.log(`lab: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  failAndExit(error);
}
