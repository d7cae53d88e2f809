// One kamdash replica without the web server: opens the database of DATABASE_URL (migrating it if needed) and
// runs the real poller start-up (lib/poller/start.ts: leases, fenced writes, shared snapshots), as
// instrumentation-node.ts does in `next start`. Started by tests/integration/fault-replica-killed.test.ts with
// `tsx`; prints one JSON line {replica, pid} once polling, and stops cleanly (releasing its leases) on SIGTERM.
import { replicaId } from "@/lib/poller/leases";
import { startPoller } from "@/lib/poller/start";

const poller = await startPoller();
if (!poller) throw new Error("KAMDASH_POLLER=off: a replica that does not poll proves nothing");
process.stdout.write(`${JSON.stringify({ replica: replicaId(), pid: process.pid })}\n`);
