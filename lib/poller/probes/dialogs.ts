import { countDialogsByState } from "@/lib/kamailio/methods/dlg-list";
import type { Probe } from "./types";

export type DialogsResult = {
  /** Confirmed dialogs (with or without the ACK yet). */
  active: number;
  /** Dialogs being set up: INVITE seen (unconfirmed) or provisional reply (early). */
  early: number;
};

/** dlg.list counted by state; deleted dialogs that are still listed do not count. */
export const dialogsProbe: Probe<DialogsResult> = {
  name: "dialogs",
  optional: true,
  async collect({ rpc }) {
    const counts = countDialogsByState(await rpc.dlgList());
    return {
      active: counts.confirmed + counts.confirmed_no_ack,
      early: counts.early + counts.unconfirmed,
    };
  },
};
