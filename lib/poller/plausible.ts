import type { Rejection } from "./readings";

// The one place every number read from Kamailio passes before kamdash publishes or stores it. A value that cannot
// be true becomes null plus a Rejection naming the rule; it never reaches the snapshot, the API or a Sample row.

/** Above this a double no longer holds every integer: Kamailio printed it through a double and precision is gone. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const TWO_32 = 2 ** 32;
const TWO_31 = 2 ** 31;

/**
 * Plausibility bounds for gauges (values at one moment). A wrapped gauge (a decrement below zero inside Kamailio)
 * reads near 2^63 or 2^64; these bounds are far above any real gateway yet far below a wrap:
 * connections: Kamailio's tcp_max_connections is an int and one process cannot hold more file descriptors;
 * contacts/AORs, dialogs and transactions: 10 million, about 20× the largest public Kamailio deployments reported.
 */
export const GAUGE_BOUNDS = {
  connections: 1_000_000,
  contacts: 10_000_000,
  dialogs: 10_000_000,
  transactions: 10_000_000,
  /** rtpengine.show entries: media servers in the module's sets. */
  mediaServers: 10_000,
} as const;

export type Checked = { value: number | null; rejection: Rejection | null };

const ok = (value: number): Checked => ({ value, rejection: null });
const reject = (field: string, raw: unknown, rule: string): Checked => ({
  value: null,
  rejection: { field, value: String(raw), rule },
});

/**
 * A raw value as an exact integer, or a reason it is not one. Strings (stats.fetch prints every value as text)
 * are read with BigInt first, so "9223372036854776000" is compared exactly and not rounded into range.
 */
function readInteger(raw: number | string): { value: number } | { problem: string } {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw) || !Number.isInteger(raw)) return { problem: "not a whole number" };
    if (Math.abs(raw) > MAX_EXACT) return { problem: "above 2^53: printed through a double, not exact" };
    return { value: raw };
  }
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return { problem: "not a whole number" };
  const big = BigInt(text);
  if (big > BigInt(MAX_EXACT) || big < -BigInt(MAX_EXACT)) {
    return { problem: "above 2^53: printed through a double, not exact" };
  }
  return { value: Number(big) };
}

/**
 * A gauge (connections, contacts, dialogs now): a whole number in [0, bound].
 * Returns the value, or null with the rule it broke (negative, above 2^53, above the plausibility bound).
 */
export function checkGauge(field: string, raw: number | string, bound: number): Checked {
  const read = readInteger(raw);
  if ("problem" in read) return reject(field, raw, read.problem);
  if (read.value < 0) return reject(field, raw, "a gauge cannot be negative");
  if (read.value > bound) {
    return reject(field, raw, `above the plausibility bound ${bound} (a gauge that wrapped below zero)`);
  }
  return ok(read.value);
}

/**
 * A counter Kamailio keeps as an unsigned long and prints in full (stats.fetch): a whole number in [0, 2^53] that
 * never decreases while Kamailio runs. `previous` is the last accepted value since the last restart (undefined
 * after a restart or on first contact). A decrease without a restart is rejected, not published.
 */
export function checkCounter(field: string, raw: number | string, previous: number | undefined): Checked {
  const read = readInteger(raw);
  if ("problem" in read) return reject(field, raw, read.problem);
  if (read.value < 0) return reject(field, raw, "a counter cannot be negative");
  if (previous !== undefined && read.value < previous) {
    return reject(field, raw, `went back from ${previous} without a restart (core.uptime did not drop)`);
  }
  return ok(read.value);
}

/**
 * A `cnt.*` counter, which Kamailio prints through an int cast: past 2^31 it reads negative, past 2^32 small again.
 * The true value is the printed one plus a multiple of 2^32. With `previous` (last accepted value, same uptime)
 * the smallest candidate ≥ previous is the only one a counter can have reached in one poll interval (it would take
 * 2^31 increments to be wrong), so it is unwrapped. Without `previous` a negative print is ambiguous: null.
 */
export function checkCounter32(field: string, raw: number | string, previous: number | undefined): Checked {
  const read = readInteger(raw);
  if ("problem" in read) return reject(field, raw, read.problem);
  if (read.value < -TWO_31 || read.value >= TWO_32) {
    return reject(field, raw, "outside the 32-bit range a cnt.* counter prints in");
  }
  const base = read.value < 0 ? read.value + TWO_32 : read.value;
  if (previous === undefined) {
    if (read.value < 0) {
      return reject(
        field,
        raw,
        "negative: cnt.* counters print through an int cast, so it passed 2^31; no earlier sample to unwrap it",
      );
    }
    return ok(read.value);
  }
  const wraps = Math.max(0, Math.ceil((previous - base) / TWO_32));
  const value = base + wraps * TWO_32;
  if (value - previous >= TWO_31) {
    return reject(field, raw, `went back from ${previous} without a restart (core.uptime did not drop)`);
  }
  if (value > MAX_EXACT) return reject(field, raw, "above 2^53 once unwrapped");
  return ok(value);
}

/** Collects rejections while numbers are checked, so callers write `c.gauge(...)` and read `c.rejections`. */
export class NumberChecker {
  readonly rejections: Rejection[] = [];

  private keep(checked: Checked): number | null {
    if (checked.rejection) this.rejections.push(checked.rejection);
    return checked.value;
  }

  gauge(field: string, raw: number | string | null | undefined, bound: number): number | null {
    return raw === null || raw === undefined ? null : this.keep(checkGauge(field, raw, bound));
  }

  /** `previous` holds accepted values by field and is updated with each value accepted. */
  counter(field: string, raw: number | string | undefined, previous: Map<string, number>): number | null {
    if (raw === undefined) return null;
    const value = this.keep(checkCounter(field, raw, previous.get(field)));
    if (value !== null) previous.set(field, value);
    return value;
  }

  counter32(field: string, raw: number | string | undefined, previous: Map<string, number>): number | null {
    if (raw === undefined) return null;
    const value = this.keep(checkCounter32(field, raw, previous.get(field)));
    if (value !== null) previous.set(field, value);
    return value;
  }
}
