import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "@/lib/db/open";
import { getSeries } from "@/lib/metrics/queries/getSeries";
import { createTempPostgres, PG_ADMIN_URL, type TempPostgres } from "../support/temp-postgres";

// A PostgreSQL server whose TimeZone is not UTC (Debian's initdb takes the host's zone). Prisma's pg adapter sends
// DateTime values as UTC text without an offset, so unless kamdash pins its sessions to UTC the server reads them
// as local time: stored instants are off by the zone's offset (wrong for anyone else reading them) and instants
// in a daylight-saving gap collapse.

let temp: TempPostgres;
let open: OpenDatabase;

beforeAll(async () => {
  temp = await createTempPostgres("timezone");
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${temp.name} SET timezone TO 'America/New_York'`);
  } finally {
    await admin.end();
  }
  open = await openDatabase({ kind: "postgres", url: temp.url });
});

afterAll(async () => {
  await open?.close();
  await temp?.drop();
});

/** What PostgreSQL itself stored, as epoch milliseconds (independent of any session zone). */
async function storedEpochMs(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: temp.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ms: string }>(sql);
    return Number(rows[0]?.ms);
  } finally {
    await client.end();
  }
}

describe("timestamps on a PostgreSQL server outside UTC", () => {
  it("stores the instant Prisma was given and finds it with raw range queries", async () => {
    const db = open.prisma;
    const node = await db.kamailioNode.create({
      data: { name: "tz", rpcUrl: "http://x/RPC", source: "cli" },
    });
    const at = new Date("2026-01-01T12:00:00.000Z");
    await db.sample.create({ data: { nodeId: node.id, at, up: true, durationMs: 1, wsConnections: 4 } });

    expect(await storedEpochMs("SELECT (extract(epoch FROM at) * 1000)::bigint AS ms FROM sample")).toBe(
      at.getTime(),
    );
    const series = await getSeries(db, {
      nodeId: node.id,
      metric: "ws",
      from: new Date("2026-01-01T11:59:00.000Z"),
      to: new Date("2026-01-01T12:01:00.000Z"),
    });
    expect(series.points).toEqual([{ at: at.toISOString(), value: 4, up: true }]);
  });

  it("reads back every instant written, also around a daylight-saving change of the server's zone", async () => {
    const db = open.prisma;
    const node = await db.kamailioNode.create({
      data: { name: "dst", rpcUrl: "http://x/RPC", source: "cli" },
    });
    // New York springs forward on 2026-03-08: 02:00-02:59 local does not exist there
    const instants = ["2026-03-08T02:30:00.000Z", "2026-03-08T03:30:00.000Z"];
    for (const iso of instants) {
      await db.sample.create({ data: { nodeId: node.id, at: new Date(iso), up: false, durationMs: 1 } });
    }
    const rows = await db.sample.findMany({ where: { nodeId: node.id }, orderBy: { at: "asc" } });
    expect(rows.map((row) => row.at.toISOString())).toEqual(instants);
  });
});
