import { z } from "zod";
import { parseReply } from "../errors";
import { forwardIssues } from "./shared";

export const RTPENGINE_SHOW = "rtpengine.show";

const base = {
  url: z.string().min(1),
  set: z.number().int(),
  index: z.number().int(),
  weight: z.number().int(),
};

/** Kamailio 5.6–5.8: disabled 0/1 or "1(permanent)", recheck_ticks an int or "N/A" (permanent). */
export const rtpengineNodeV5Schema = z.object({
  ...base,
  disabled: z.union([z.literal(0), z.literal(1), z.literal("1(permanent)")]),
  recheck_ticks: z.union([z.number().int(), z.literal("N/A")]),
});

/** Kamailio 6.x: disabled = administratively (permanently) disabled, active = answering; -1 ticks = permanent. */
export const rtpengineNodeV6Schema = z.object({
  ...base,
  disabled: z.boolean(),
  active: z.boolean(),
  recheck_ticks: z.number().int(),
});

/**
 * What Kamailio makes of a media server: `up` (used for calls), `unreachable` (failed its ping, re-checked after
 * `recheckTicks` seconds) or `disabled` (by an operator or the DB: never re-checked by Kamailio itself).
 */
export type RtpengineInstanceState = "up" | "unreachable" | "disabled";

export interface RtpengineNode {
  url: string;
  set: number;
  index: number;
  weight: number;
  /** Not used by Kamailio right now (failed ping or disabled by hand). */
  disabled: boolean;
  /** Disabled by an operator (`rtpengine.enable <url> 0`): Kamailio will not re-check it by itself. */
  permanent: boolean;
  /** Kamailio considers it usable. */
  up: boolean;
  /** Ticks until Kamailio re-checks a failed node; null when not scheduled (permanent). */
  recheckTicks: number | null;
  /** Which reply shape it came in. */
  shape: "5.x" | "6.x";
  state: RtpengineInstanceState;
}

/** "up", "unreachable, retry in 42 s", "disabled (permanent)": the state as an operator reads it. */
export function describeRtpengineState(node: Pick<RtpengineNode, "state" | "recheckTicks">): string {
  if (node.state === "up") return "up";
  if (node.state === "disabled") return "disabled (permanent)";
  return node.recheckTicks === null
    ? "unreachable"
    : node.recheckTicks === 0
      ? "unreachable, re-check due"
      : `unreachable, retry in ${node.recheckTicks} s`;
}

function normalizeV5(node: z.infer<typeof rtpengineNodeV5Schema>): RtpengineNode {
  const permanent = node.disabled === "1(permanent)";
  const disabled = node.disabled !== 0;
  return {
    url: node.url,
    set: node.set,
    index: node.index,
    weight: node.weight,
    disabled,
    permanent,
    up: !disabled,
    recheckTicks: node.recheck_ticks === "N/A" ? null : node.recheck_ticks,
    shape: "5.x",
    state: permanent ? "disabled" : disabled ? "unreachable" : "up",
  };
}

function normalizeV6(node: z.infer<typeof rtpengineNodeV6Schema>): RtpengineNode {
  return {
    url: node.url,
    set: node.set,
    index: node.index,
    weight: node.weight,
    disabled: node.disabled || !node.active,
    permanent: node.disabled,
    up: node.active && !node.disabled,
    recheckTicks: node.recheck_ticks < 0 ? null : node.recheck_ticks,
    shape: "6.x",
    // 6.0: `disabled` means only "by an operator"; health is `active`
    state: node.disabled ? "disabled" : node.active ? "up" : "unreachable",
  };
}

// The 6.x shape is recognised by its `active` key, so an error in either shape names the right field.
const nodeSchema = z.unknown().transform((value, ctx): RtpengineNode => {
  const schema =
    typeof value === "object" && value !== null && "active" in value
      ? rtpengineNodeV6Schema
      : rtpengineNodeV5Schema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return forwardIssues(ctx, parsed.error);
  return "active" in parsed.data ? normalizeV6(parsed.data) : normalizeV5(parsed.data);
});

/** `rtpengine.show all` answers an array of nodes (RET_ARRAY), empty when no node is configured. */
export const rtpengineShowSchema = z.array(nodeSchema);

export function parseRtpengineShow(result: unknown, nodeUrl?: string): RtpengineNode[] {
  return parseReply(rtpengineShowSchema, result, RTPENGINE_SHOW, nodeUrl);
}
