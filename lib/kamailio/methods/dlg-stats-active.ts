import { z } from "zod";
import { parseReply } from "../errors";

export const DLG_STATS_ACTIVE = "dlg.stats_active";

/**
 * `dlg.stats_active` walks the dialog hash table and counts dialogs by state (dialog module, dialog.c; since 5.2):
 * starting = unconfirmed (1), connecting = early (2), answering = confirmed without ACK (3), ongoing = confirmed
 * (4), all = every dialog counted. Deleted dialogs still listed are not counted. It is the direct count, so it is
 * preferred over the `dialog.active_dialogs` / `early_dialogs` gauges, which can drift and wrap.
 */
export const dlgStatsActiveResultSchema = z.object({
  starting: z.number().int(),
  connecting: z.number().int(),
  answering: z.number().int(),
  ongoing: z.number().int(),
  all: z.number().int(),
});

export interface DialogStateCounts {
  /** Dialogs in states 3 and 4 (answered). */
  active: number;
  /** Dialogs in states 1 and 2 (INVITE seen, provisional reply). */
  early: number;
  all: number;
}

export function parseDlgStatsActive(result: unknown, nodeUrl?: string): DialogStateCounts {
  const raw = parseReply(dlgStatsActiveResultSchema, result, DLG_STATS_ACTIVE, nodeUrl);
  return { active: raw.answering + raw.ongoing, early: raw.starting + raw.connecting, all: raw.all };
}
