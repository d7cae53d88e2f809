import { demandProbes } from "@/lib/poller/live";
import type { DialogsResult } from "@/lib/poller/probes/dialogs";
import { type NgPingResult, ngAddress } from "@/lib/poller/probes/rtpengine-ng";
import type { RtpengineAddressOverrides } from "@/lib/poller/probes/types";
import { getNodeLists } from "@/lib/troubleshoot/list-store";
import { type MediaEngine, type MediaEvent, type NgQuery, watchCallMedia } from "./media-watch";

/** A heavy dlg.list younger than this is not asked again when the dialog count says new calls were answered. */
const DIALOG_LIST_REFRESH_MS = 5_000;

export type PollMediaOptions = {
  query: NgQuery;
  addresses?: RtpengineAddressOverrides;
  maxCalls: number;
  oneWayAfterS: number;
};

/**
 * After a node's cycle: the media servers that answered NG this cycle (rtpengine-ng probe), the node's latest
 * dlg.list (list-store), and `watchCallMedia` over its confirmed calls. When dlg.stats_active counts more confirmed
 * dialogs than the list holds, the next cycle reads dlg.list again (at most every 5 s) so a new call is watched
 * within seconds rather than at the heavy cadence. Returns the media events.
 */
export async function pollCallMedia(
  node: string,
  seen: { values: ReadonlyMap<string, unknown>; at: string },
  options: PollMediaOptions,
): Promise<MediaEvent[]> {
  if (options.maxCalls === 0) return [];
  const lists = getNodeLists(node);
  const nowMs = Date.parse(seen.at);
  const dialogs = lists?.dialogs ?? null;
  const counts = seen.values.get("dialogs") as DialogsResult | undefined;
  if (counts && dialogs && nowMs - Date.parse(dialogs.at) >= DIALOG_LIST_REFRESH_MS) {
    const listed = dialogs.list.filter((d) => d.stateCode === 3 || d.stateCode === 4).length;
    if (counts.active > listed) demandProbes(node, ["dialog-list"]);
  }
  const ng = seen.values.get("rtpengine-ng") as NgPingResult | undefined;
  const engines: MediaEngine[] = [];
  for (const url of ng?.answering ?? []) {
    const address = ngAddress(options.addresses?.[url]?.ng ?? url);
    if (address) engines.push({ url, address });
  }
  return await watchCallMedia({
    node,
    dialogs: dialogs?.list ?? null,
    engines,
    query: options.query,
    nowMs,
    maxCalls: options.maxCalls,
    silentS: options.oneWayAfterS,
  });
}
