import { WallLive } from "@/components/wall/wall-live";
import { requirePage } from "@/lib/auth/page";
import { getFleetSnapshot } from "@/lib/poller/live";
import { withAges } from "@/lib/poller/snapshot";

export default async function WallPage() {
  await requirePage("wall.read");
  const now = new Date();
  return <WallLive initial={withAges(getFleetSnapshot(now), now)} />;
}
