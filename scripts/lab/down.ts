// npm run lab:down [-- --state-dir DIR] [--netns NAME]
import { failAndExit, parseLabArgs } from "./cli-args";
import { labDown } from "./lab";

try {
  await labDown(parseLabArgs(process.argv.slice(2)));
} catch (error) {
  failAndExit(error);
}
