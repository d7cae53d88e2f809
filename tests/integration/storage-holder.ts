// Run by storage-data-dir.test.ts as a separate process: opens the database of KAMDASH_DATA_DIR (taking the
// data folder lock), writes one node, says "ready" and waits to be killed.
import { getDb } from "@/lib/db";

const db = await getDb();
await db.kamailioNode.upsert({
  where: { name: "from-holder" },
  create: { name: "from-holder", rpcUrl: "http://127.0.0.1:5080/RPC", source: "cli" },
  update: {},
});
process.stdout.write("ready\n");
setInterval(() => {}, 60_000);
