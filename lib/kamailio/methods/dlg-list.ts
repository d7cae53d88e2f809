import { z } from "zod";
import { parseReply } from "../errors";

export const DLG_LIST = "dlg.list";

export const DIALOG_STATES = {
  1: "unconfirmed",
  2: "early",
  3: "confirmed_no_ack",
  4: "confirmed",
  5: "deleted",
} as const;
export type DialogStateName = (typeof DIALOG_STATES)[keyof typeof DIALOG_STATES];

// Fields of a leg Kamailio has not seen yet (the callee before it answers) are null.
const legSchema = z.object({
  tag: z.string().nullable(),
  contact: z.string().nullable(),
  cseq: z.string().nullable(),
  route_set: z.string().nullable(),
  socket: z.string().nullable(),
});

export const dialogRawSchema = z.object({
  h_entry: z.number().int(),
  h_id: z.number().int(),
  ref: z.number().int().optional(),
  "call-id": z.string(),
  from_uri: z.string(),
  to_uri: z.string(),
  state: z.number().int().min(1).max(5),
  start_ts: z.number().int(),
  init_ts: z.number().int(),
  end_ts: z.number().int().optional(),
  duration: z.number().int().optional(),
  timeout: z.number().int(),
  lifetime: z.number().int(),
  dflags: z.number().int(),
  sflags: z.number().int(),
  iflags: z.number().int(),
  caller: legSchema,
  callee: legSchema,
  profiles: z.array(z.unknown()).optional(),
  variables: z.array(z.unknown()).optional(),
});

/** null where Kamailio does not know the value yet (the callee leg before a final answer). */
export interface DialogLeg {
  tag: string | null;
  contact: string | null;
  cseq: string | null;
  routeSet: string | null;
  /** Kamailio's local socket for this leg, e.g. "tls:127.0.0.1:8443" (WSS) or "tcp:127.0.0.1:8080" (WS). */
  socket: string | null;
}

export interface Dialog {
  /** h_entry + h_id identify the dialog for dlg.end_dlg. */
  hEntry: number;
  hId: number;
  callId: string;
  fromUri: string;
  toUri: string;
  state: DialogStateName;
  stateCode: 1 | 2 | 3 | 4 | 5;
  /** Unix seconds; 0 until confirmed. */
  startTs: number;
  initTs: number;
  /** Unix seconds when the dialog ended (deleted dialogs stay listed for a while); 0 while it lasts. */
  endTs: number;
  /** Unix seconds when Kamailio will time the dialog out; 0 when no timer runs. */
  timeoutTs: number;
  /** Seconds since the answer as Kamailio computed it (5.6+); null before 5.6, where the field does not exist. */
  durationSeconds: number | null;
  lifetimeSeconds: number;
  /**
   * The dialog's variables ($dlg_var set by the config), name → value; Kamailio lists them as one-key objects.
   * The shipped gateway sets answer_pt / answer_rtpmap (the answering side's codec). Empty when none.
   */
  variables: Record<string, string>;
  caller: DialogLeg;
  callee: DialogLeg;
}

const toLeg = (leg: z.infer<typeof legSchema>): DialogLeg => ({
  tag: leg.tag,
  contact: leg.contact,
  cseq: leg.cseq,
  routeSet: leg.route_set,
  socket: leg.socket,
});

const toDialog = (raw: z.infer<typeof dialogRawSchema>): Dialog => {
  const stateCode = raw.state as Dialog["stateCode"]; // bounded to 1..5 by the schema
  return {
    hEntry: raw.h_entry,
    hId: raw.h_id,
    callId: raw["call-id"],
    fromUri: raw.from_uri,
    toUri: raw.to_uri,
    state: DIALOG_STATES[stateCode],
    stateCode,
    startTs: raw.start_ts,
    initTs: raw.init_ts,
    endTs: raw.end_ts ?? 0,
    timeoutTs: raw.timeout,
    durationSeconds: raw.duration ?? null,
    lifetimeSeconds: raw.lifetime,
    variables: dialogVariables(raw.variables),
    caller: toLeg(raw.caller),
    callee: toLeg(raw.callee),
  };
};

// Kamailio 5.x/6.x: "variables": [{ "name": "value" }, …]; anything else (numbers, nested) is skipped.
function dialogVariables(raw: readonly unknown[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw ?? []) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
    for (const [name, value] of Object.entries(item)) if (typeof value === "string") out[name] = value;
  }
  return out;
}

export const dlgListSchema = z.array(dialogRawSchema.transform(toDialog));

export function parseDlgList(result: unknown, nodeUrl?: string): Dialog[] {
  return parseReply(dlgListSchema, result, DLG_LIST, nodeUrl);
}

/**
 * How long a call has been answered, in seconds: Kamailio's `duration` (5.6+), else now − start_ts. null for a
 * dialog not answered yet (start_ts is 0 until then: never "now − 0") or already ended.
 * `nowS`: Unix seconds on Kamailio's clock (or the dashboard's, when they agree).
 */
export function callDurationSeconds(dialog: Dialog, nowS: number): number | null {
  if (dialog.stateCode < 3 || dialog.stateCode === 5 || dialog.startTs <= 0) return null;
  if (dialog.durationSeconds !== null) return dialog.durationSeconds;
  return Math.max(0, Math.floor(nowS) - dialog.startTs);
}

export function countDialogsByState(dialogs: readonly Dialog[]): Record<DialogStateName, number> {
  const counts: Record<DialogStateName, number> = {
    unconfirmed: 0,
    early: 0,
    confirmed_no_ack: 0,
    confirmed: 0,
    deleted: 0,
  };
  for (const dialog of dialogs) counts[dialog.state] += 1;
  return counts;
}
