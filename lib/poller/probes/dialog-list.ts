import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { Probe } from "./types";

/**
 * dlg.list, the whole list with Call-IDs, legs and timers: only the per-call views need it, so it runs on the
 * heavy cadence (and on demand), within the heavy reply budget. A reply over the budget fails this probe only.
 */
export const dialogListProbe: Probe<Dialog[]> = {
  name: "dialog-list",
  cadence: "heavy",
  async collect({ rpc, heavyMaxReplyBytes }) {
    return await rpc.dlgList(heavyMaxReplyBytes ? { maxReplyBytes: heavyMaxReplyBytes } : undefined);
  },
};
