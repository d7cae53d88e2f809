import type { CallMediaView } from "@/lib/media/media-view";

const rate = (n: number | null | undefined) => (n === null || n === undefined ? "?" : `${Math.round(n)}`);

/** A call's media state in one cell: "two-way 50/50 pkt/s", "ONE-WAY: no RTP from callee 6 s", "—" (why in title). */
export function MediaBadge({ media }: { media: CallMediaView | null }) {
  if (media === null)
    return (
      <span className="text-tremor-content" title="RTPEngine not asked yet for this call">
        —
      </span>
    );
  const caller = media.legs.find((l) => l.party === "caller");
  const callee = media.legs.find((l) => l.party === "callee");
  const rates = `${rate(caller?.packetsPerS)}/${rate(callee?.packetsPerS)} pkt/s`;
  const title = `caller/callee RTP packets per second received by RTPEngine, read ${media.at}`;
  switch (media.state) {
    case "two_way":
      return (
        <span data-media-state="two_way" title={title}>
          two-way · {rates}
        </span>
      );
    case "one_way":
      return (
        <span
          data-media-state="one_way"
          className="font-semibold text-red-600"
          title={`${title}; flagged after ${media.silentForS} s of silence`}
        >
          ONE-WAY: no RTP from {media.silentParty ?? "one party"} ({media.silentForS} s)
        </span>
      );
    case "no_media":
      return (
        <span data-media-state="no_media" className="text-amber-600" title={media.reason ?? title}>
          no RTP either way ({media.silentForS} s)
        </span>
      );
    case "on_hold":
      return (
        <span data-media-state="on_hold" title={media.reason ?? title}>
          on hold · {rates}
        </span>
      );
    default:
      return (
        <span data-media-state="unknown" className="text-tremor-content" title={media.reason ?? title}>
          — ({media.reason ?? "unknown"})
        </span>
      );
  }
}
