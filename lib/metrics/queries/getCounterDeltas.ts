import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "../db";

// Counter columns of the sample table (a fixed whitelist: only these names ever reach the SQL text).
const counterColumns = {
  branchRelayed: "branch_relayed",
  branchFailed: "branch_failed",
  wsHandshakesOk: "ws_handshakes_ok",
  wsHandshakesFailed: "ws_handshakes_failed",
  wsFailedConnections: "ws_failed_connections",
  dialogsProcessed: "dialogs_processed",
  dialogsFailed: "dialogs_failed",
  tmx2xx: "tmx_2xx",
  tmx4xx: "tmx_4xx",
  tmx5xx: "tmx_5xx",
  tmx6xx: "tmx_6xx",
} as const;
export type CounterColumn = keyof typeof counterColumns;
export const counterColumnNames = Object.keys(counterColumns) as CounterColumn[];

export type CounterDelta = {
  at: Date;
  /** Increase since the node's previous up sample; null across a restart, a gap in the counter, or a drop. */
  delta: number | null;
};

type Row = { at: Date; delta: bigint | number | string | null };

/**
 * How much a counter grew between consecutive up samples of one node, oldest first. A sample marked `restarted`
 * (core.uptime dropped: Kamailio started counting from 0 again) has no delta, and neither has a sample whose value
 * is lower than the previous one: a delta is never negative and never spans a restart.
 */
export async function getCounterDeltas(
  db: Db,
  query: { nodeId: number; counter: CounterColumn; from: Date; to: Date },
): Promise<CounterDelta[]> {
  const column = Prisma.raw(`"${counterColumns[query.counter]}"`);
  const rows = await db.$queryRaw<Row[]>`
    SELECT at,
           CASE WHEN restarted OR value IS NULL OR previous IS NULL OR value < previous THEN NULL
                ELSE value - previous END AS delta
    FROM (
      SELECT at, restarted, ${column} AS value, lag(${column}) OVER (ORDER BY at) AS previous
      FROM sample
      WHERE node_id = ${query.nodeId} AND up AND at >= ${query.from} AND at < ${query.to}
    ) counters
    ORDER BY at`;
  return rows.map((r) => ({ at: new Date(r.at), delta: r.delta === null ? null : Number(r.delta) }));
}
