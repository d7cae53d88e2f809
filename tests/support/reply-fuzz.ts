import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";

// Seeded corruptions of captured Kamailio JSON-RPC replies (tests/fixtures/rpc and tests/fixtures/field-replies,
// a copy of /work/shared/reference/field-replies) for tests/unit/fault-malformed-replies.test.ts.
// A case is a reply envelope edited as JSON (types flipped, fields dropped, huge/negative/NaN values, wrong ids,
// a broken envelope), then optionally cut at a random byte. Deterministic: the same seed gives the same cases.

/** One captured reply: the JSON-RPC envelope, and the HTTP status and reason it came with. */
export type CapturedReply = {
  file: string;
  status: number;
  reason: string;
  envelope: Record<string, unknown>;
};

const fixtureDirs = ["../fixtures/rpc", "../fixtures/field-replies"].map((d) =>
  path.resolve(import.meta.dirname, d),
);

/** `.http` files are whole responses (status line, headers, blank line, JSON body); the rest are bodies (200). */
function readCaptured(file: string): CapturedReply | null {
  const text = readFileSync(file, "utf8");
  let status = 200;
  let reason = "OK";
  let body = text;
  if (file.endsWith(".http")) {
    const [head = "", ...rest] = text.split(/\r?\n\r?\n/);
    const statusLine = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/m.exec(head);
    if (!statusLine) throw new Error(`${file}: no HTTP status line`);
    status = Number(statusLine[1]);
    reason = statusLine[2] ?? "";
    body = rest.join("\n\n");
  }
  try {
    const envelope = JSON.parse(body) as unknown;
    if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope)) return null;
    return { file: path.basename(file), status, reason, envelope: envelope as Record<string, unknown> };
  } catch {
    return null; // the captured truncated/HTML replies: the fuzzer makes its own
  }
}

/** Every captured reply whose body is a JSON-RPC envelope, in a stable order. */
export function capturedReplies(): CapturedReply[] {
  return fixtureDirs
    .flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name)))
    .filter((file) => /\.(json|http)$/.test(file))
    .sort()
    .map(readCaptured)
    .filter((reply): reply is CapturedReply => reply !== null);
}

export class Prng {
  private readonly rng: RandomGenerator;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  /** An integer in [from, to]. */
  int(from: number, to: number): number {
    return unsafeUniformIntDistribution(from, to, this.rng);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  chance(percent: number): boolean {
    return this.int(1, 100) <= percent;
  }
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown };

/** Every value inside `root` with where it sits (the envelope itself excluded). */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((child, key) => {
        out.push({ parent: value, key, value: child });
        walk(child);
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        out.push({ parent: value as Record<string, unknown>, key, value: child });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

const set = (slot: Slot, value: unknown) => {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else slot.parent[slot.key as string] = value;
};

/** Raw JSON number texts JSON.stringify cannot write (they overflow, or lose digits): swapped in after it runs. */
const RAW_NUMBERS = [
  "1e400",
  "-1e400",
  "123456789012345678901234567890",
  "9007199254740993",
  "1.7976931348623157e309",
];
const rawMarker = (i: number) => `\u0000raw${i}\u0000`;

const HUGE: readonly unknown[] = [
  1e308,
  2 ** 64,
  Number.MAX_SAFE_INTEGER + 2,
  "9".repeat(400),
  "18446744073709551615",
  ...RAW_NUMBERS.map((_, i) => rawMarker(i)),
];
const NEGATIVE: readonly unknown[] = [-1, -1294967296, -2147483648, "-5", "-0", -0.5];
const NAN_TEXTS: readonly unknown[] = [
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "0x10",
  " 12 ",
  "12abc",
  "",
  "null",
];
const OTHER_TYPES: readonly unknown[] = [null, true, false, [], {}, "abc", 0, 1.5, [1], { value: 1 }];

export type Mutation =
  | "flip_type"
  | "drop_field"
  | "huge_number"
  | "negative_counter"
  | "nan_string"
  | "wrong_id"
  | "broken_envelope";
export const MUTATIONS: readonly Mutation[] = [
  "flip_type",
  "drop_field",
  "huge_number",
  "negative_counter",
  "nan_string",
  "wrong_id",
  "broken_envelope",
];

const isNumberLike = (v: unknown) => typeof v === "number" || (typeof v === "string" && /^-?\d+$/.test(v));
const isLeaf = (v: unknown) => typeof v !== "object" || v === null;

/** Applies one mutation to a copy-in-progress of an envelope; returns what it did (for failure messages). */
function mutate(envelope: Record<string, unknown>, kind: Mutation, prng: Prng): string {
  const inner = slots({ result: envelope.result, error: envelope.error });
  const all = inner.length > 0 ? inner : slots(envelope);
  const among = (filter: (v: unknown) => boolean) => {
    const fitting = all.filter((s) => filter(s.value));
    return fitting.length > 0 ? prng.pick(fitting) : prng.pick(all);
  };
  const where = (s: Slot) => String(s.key);
  switch (kind) {
    case "flip_type": {
      const slot = prng.pick(all);
      const value =
        typeof slot.value === "number" && prng.chance(30)
          ? String(slot.value)
          : prng.pick(OTHER_TYPES.filter((v) => typeof v !== typeof slot.value));
      set(slot, structuredClone(value));
      return `${where(slot)} → ${JSON.stringify(value)}`;
    }
    case "drop_field": {
      const slot = prng.pick(all);
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      return `dropped ${where(slot)}`;
    }
    case "huge_number":
    case "negative_counter":
    case "nan_string": {
      const slot = kind === "nan_string" ? among(isLeaf) : among(isNumberLike);
      const pool = kind === "huge_number" ? HUGE : kind === "negative_counter" ? NEGATIVE : NAN_TEXTS;
      const value = prng.pick(pool);
      set(slot, value);
      return `${where(slot)} → ${JSON.stringify(value)}`;
    }
    case "wrong_id": {
      const choice = prng.int(0, 4);
      if (choice === 4) delete envelope.id;
      else envelope.id = (["next", "as text", null, -1] as const)[choice];
      return `id ${choice === 4 ? "missing" : JSON.stringify(envelope.id)}`;
    }
    case "broken_envelope": {
      const choice = prng.int(0, 4);
      if (choice === 0) delete envelope.jsonrpc;
      else if (choice === 1) envelope.jsonrpc = "1.0";
      else if (choice === 2) envelope.error = { code: "500", message: 7 };
      else if (choice === 3) {
        envelope.result = envelope.result ?? null;
        envelope.error = { code: 500, message: "both" };
      } else delete envelope.result;
      return `envelope change ${choice}`;
    }
  }
}

/** A fuzzed reply: how to write it for a request id, and what was done to it. */
export type FuzzCase = {
  index: number;
  source: CapturedReply;
  steps: string[];
  /** The id was changed (a correct client must reject the reply). */
  wrongId: boolean;
  /**
   * Cut the body at `fraction` of its bytes: with the Content-Length of what is sent, or (dropConnection) with the
   * full length declared and the connection dropped at the cut.
   */
  cut: { fraction: number; dropConnection: boolean } | null;
  /** The whole (uncut) body for a request id. */
  body(requestId: number): Buffer;
};

/** Case `index` of the run seeded `seed`: the first mutation cycles through every kind, 0–2 more at random. */
export function fuzzCase(seed: number, index: number, sources: readonly CapturedReply[]): FuzzCase {
  const prng = new Prng(seed * 1_000_003 + index);
  const source = prng.pick(sources);
  const envelope = structuredClone(source.envelope);
  const kinds = [MUTATIONS[index % MUTATIONS.length] as Mutation];
  for (let extra = prng.int(0, 2); extra > 0; extra--) kinds.push(prng.pick(MUTATIONS));
  const steps = kinds.map((kind) => `${kind}: ${mutate(envelope, kind, prng)}`);
  const wrongId = kinds.includes("wrong_id");
  const cutNow = prng.chance(25);
  const cutFraction = prng.int(0, 999) / 1000;
  const dropConnection = prng.chance(40);
  const body = (requestId: number): Buffer => {
    const id =
      envelope.id === "next" ? requestId + 1 : envelope.id === "as text" ? String(requestId) : envelope.id;
    const withId = wrongId ? { ...envelope, id } : { ...envelope, id: requestId };
    if (!("id" in envelope) && wrongId) delete withId.id;
    let text = JSON.stringify(withId);
    RAW_NUMBERS.forEach((raw, i) => {
      text = text.replaceAll(JSON.stringify(rawMarker(i)), raw);
    });
    return Buffer.from(text, "utf8");
  };
  return {
    index,
    source,
    steps,
    wrongId,
    cut: cutNow ? { fraction: cutFraction, dropConnection } : null,
    body,
  };
}

/** Every number written in `text` (JSON numbers, and digits inside strings), as JavaScript reads them. */
export function numbersInText(text: string): Set<number> {
  const found = new Set<number>();
  // whole JSON numbers, and each digit run on its own ("5.6.3" holds 5, 6 and 3; "2026-11-26" holds 11)
  for (const pattern of [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, /\d+/g]) {
    for (const match of text.matchAll(pattern)) found.add(Number(match[0]));
  }
  return found;
}

/** Numbers in a parsed value that are not finite, or not written in the reply: "invented" ones, with their path. */
export function inventedNumbers(value: unknown, allowed: Set<number>, at = "$"): string[] {
  if (typeof value === "number") {
    return Number.isFinite(value) && allowed.has(value) ? [] : [`${at} = ${value}`];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => inventedNumbers(v, allowed, `${at}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => inventedNumbers(v, allowed, `${at}.${k}`));
  }
  return [];
}
