import { isMethodNotFound } from "@/lib/kamailio/errors";
import { countDialogsByState } from "@/lib/kamailio/methods/dlg-list";
import type { Probe } from "./types";

export type DialogsResult = {
  /** Confirmed dialogs (with or without the ACK yet). */
  active: number;
  /** Dialogs being set up: INVITE seen (unconfirmed) or provisional reply (early). */
  early: number;
  /** The RPC method the count comes from. */
  source: "dlg.stats_active" | "dlg.list";
};

/**
 * Dialogs counted by state inside Kamailio with dlg.stats_active (no list crosses the wire). A Kamailio without
 * that method is counted from dlg.list, where deleted dialogs that are still listed do not count.
 */
export const dialogsProbe: Probe<DialogsResult> = {
  name: "dialogs",
  cadence: "cycle",
  async collect({ rpc }) {
    try {
      const counts = await rpc.dlgStatsActive();
      return { active: counts.active, early: counts.early, source: "dlg.stats_active" };
    } catch (error) {
      if (!isMethodNotFound(error) || error.method !== "dlg.stats_active") throw error;
    }
    const counts = countDialogsByState(await rpc.dlgList());
    return {
      active: counts.confirmed + counts.confirmed_no_ack,
      early: counts.early + counts.unconfirmed,
      source: "dlg.list",
    };
  },
};
