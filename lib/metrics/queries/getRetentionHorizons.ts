import { z } from "zod";
import type { Db } from "../db";
import type { Resolution } from "../rollup-columns";

/** Per store, the time before which retention deleted its rows (absent: nothing deleted yet). */
export type RetentionHorizons = Partial<Record<Resolution, Date>>;

const storeSchema = z.enum(["raw", "1m", "1h"]);

/** Where retention has cut raw samples and each rollup (table retention_horizon, written by lib/metrics/retention.ts). */
export async function getRetentionHorizons(db: Db): Promise<RetentionHorizons> {
  const rows = await db.retentionHorizon.findMany({ select: { store: true, keptFrom: true } });
  const horizons: RetentionHorizons = {};
  for (const row of rows) {
    const store = storeSchema.safeParse(row.store);
    if (store.success) horizons[store.data] = row.keptFrom;
  }
  return horizons;
}
