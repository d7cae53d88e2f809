import { RefreshServerData } from "@/components/live/refresh-server-data";
import { FleetEmptyState } from "@/components/overview/fleet-empty-state";
import { WallLive } from "@/components/wall/wall-live";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { getHealthSparklines, type HealthSparklines } from "@/lib/metrics/queries/getHealthSparklines";
import { getFleetSnapshot } from "@/lib/poller/live";
import { withAges } from "@/lib/poller/snapshot";

/** The sparklines, or null when PostgreSQL cannot answer: the wall's live tiles must not go with them. */
async function sparklinesOrNull(): Promise<HealthSparklines["series"] | null> {
  try {
    return (await getHealthSparklines(await getDb())).series;
  } catch (err) {
    log.error({ err }, "wall: loading the sparklines failed");
    return null;
  }
}

export default async function WallPage() {
  await requirePage("wall.read");
  const now = new Date();
  const sparklines = await sparklinesOrNull();
  return (
    <>
      <WallLive
        initial={withAges(getFleetSnapshot(now), now)}
        sparklines={sparklines}
        emptyState={<FleetEmptyState surface="wall" />}
      />
      {/* re-reads the sparklines each minute as a transition: the wall keeps what it shows meanwhile */}
      <RefreshServerData everyMs={60_000} />
    </>
  );
}
