import { parseArgs } from "node:util";
import { getDb } from "@/lib/db";
import { addNode, listNodes, parseNodeSpec, removeNode } from "@/lib/nodes";
import { type CliIo, UsageError } from "../io";

export const NODE_USAGE = `usage:
  kamdash node add <name> <rpc-url>   watch a Kamailio node (JSON-RPC URL, e.g. http://10.0.0.5:5080/RPC)
  kamdash node list [--json]          list the nodes
  kamdash node rm <name>              stop watching a node and delete its samples

Nodes listed in KAMAILIO_NODES are re-created at every start; change that variable to remove them.`;

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

export async function runNode(args: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action === "help" || action === "--help" || action === "-h") {
    io.out(NODE_USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(NODE_USAGE);
    return;
  }
  const db = await getDb();
  if (action === "add") {
    const [name, url] = positionals;
    if (positionals.length !== 2 || name === undefined || url === undefined) {
      throw new UsageError("node add: expected <name> <rpc-url>", NODE_USAGE);
    }
    const node = await addNode(db, parseNodeSpec(name, url), "cli");
    io.out(`added node "${node.name}" → ${node.rpcUrl}`);
    return;
  }
  if (action === "list") {
    if (positionals.length > 0) throw new UsageError("node list takes no arguments", NODE_USAGE);
    const nodes = await listNodes(db);
    if (values.json) {
      const plain = nodes.map(({ name, rpcUrl, enabled, source }) => ({ name, rpcUrl, enabled, source }));
      io.out(JSON.stringify(plain, null, 2));
      return;
    }
    if (nodes.length === 0) {
      io.out("no nodes (add one with: kamdash node add <name> <rpc-url>, or set KAMAILIO_NODES)");
      return;
    }
    const header = ["NAME", "ENABLED", "SOURCE", "RPC URL"];
    const rows = nodes.map((node) => [node.name, node.enabled ? "yes" : "no", node.source, node.rpcUrl]);
    for (const line of formatTable([header, ...rows])) io.out(line);
    return;
  }
  if (action === "rm") {
    const [name] = positionals;
    if (positionals.length !== 1 || name === undefined) {
      throw new UsageError("node rm: expected <name>", NODE_USAGE);
    }
    const removed = await removeNode(db, name);
    io.out(
      `removed node "${removed.name}"${removed.source === "env" ? " (it is in KAMAILIO_NODES: it comes back at the next start)" : ""}`,
    );
    return;
  }
  throw new UsageError(`unknown node command "${action}"`, NODE_USAGE);
}
