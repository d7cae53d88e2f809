import { formatIssuePath } from "../../schema-mismatch";
import { KamailioRpcError } from "../errors";

// A hand check for the few replies with 100,000 entries (core.tcp_list, ul.dump), where a per-entry zod parse
// costs several times JSON.parse. Each reader checks one value and throws a FieldMismatch naming it; the readers of
// nested objects and lists prepend their key or index, so the error names the field the way zod's path does.

/** A JSON object from a reply; its fields are still unchecked. */
export type Entry = { readonly [key: string]: unknown };

/** Where (path from the reply's top, as zod would give it) and how a value failed its check. */
export class FieldMismatch extends Error {
  constructor(
    readonly path: PropertyKey[],
    readonly expected: string,
  ) {
    super(expected);
    this.name = "FieldMismatch";
  }
}

const MAX_SHOWN = 40;

/** The value's kind, in zod's words: "string", "null", "array", "NaN", … */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/** The value itself for strings and numbers (a long string cut short), else its kind. */
function shown(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(cut);
  }
  return typeof value === "number" && Number.isFinite(value) ? String(value) : kindOf(value);
}

const mismatch = (key: PropertyKey | undefined, expected: string): FieldMismatch =>
  new FieldMismatch(key === undefined ? [] : [key], expected);

/** `value` as an object (not an array, not null); `key` names it in the error, none for a list item. */
export function object(value: unknown, key?: PropertyKey): Entry {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Entry;
  throw mismatch(key, `expected object, received ${kindOf(value)}`);
}

export function string(value: unknown, key: PropertyKey): string {
  if (typeof value === "string") return value;
  throw mismatch(key, `expected string, received ${kindOf(value)}`);
}

/** A finite number (JSON has no NaN or Infinity, but the parse functions accept any value). */
export function number(value: unknown, key: PropertyKey): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw mismatch(key, `expected number, received ${kindOf(value)}`);
}

/** An integer JavaScript holds exactly (|n| ≤ 2^53 − 1), as zod's `z.number().int()`. */
export function int(value: unknown, key: PropertyKey): number {
  if (Number.isSafeInteger(value)) return value as number;
  if (typeof value === "number" && Number.isFinite(value))
    throw mismatch(key, `expected int, received ${shown(value)}`);
  throw mismatch(key, `expected number, received ${kindOf(value)}`);
}

export const isInt = (value: unknown): value is number => Number.isSafeInteger(value);

/** One of `options`. */
export function oneOf<T extends string>(value: unknown, options: readonly T[], key: PropertyKey): T {
  if (options.includes(value as T)) return value as T;
  throw mismatch(key, `expected ${describeOptions(options)}, received ${shown(value)}`);
}

/** `"a"|"b"` when there are several options, `"a"` when one. */
export function describeOptions(options: readonly string[]): string {
  const listed = options.map((o) => JSON.stringify(o)).join("|");
  return options.length > 1 ? `one of ${listed}` : listed;
}

/** A mismatch for a value with several accepted shapes: `expected` says which, e.g. `int or one of "a"|"b"`. */
export function unexpected(value: unknown, key: PropertyKey, expected: string): FieldMismatch {
  return mismatch(key, `expected ${expected}, received ${shown(value)}`);
}

/** Rethrows `error`; a FieldMismatch first gets `keys` prepended to its path. */
export function within(error: unknown, ...keys: (PropertyKey | undefined)[]): never {
  if (error instanceof FieldMismatch) error.path.unshift(...keys.filter((k) => k !== undefined));
  throw error;
}

/** `read(value)` on the object at `key`; a mismatch inside it gets `key` prepended. */
export function nested<T>(value: unknown, key: PropertyKey, read: (entry: Entry) => T): T {
  const entry = object(value, key);
  try {
    return read(entry);
  } catch (error) {
    return within(error, key);
  }
}

/** `read` of every item of the array at `key` (none: the reply itself); a mismatch gets `key[index]` prepended. */
export function list<T>(value: unknown, key: PropertyKey | undefined, read: (item: unknown) => T): T[] {
  if (!Array.isArray(value)) throw mismatch(key, `expected array, received ${kindOf(value)}`);
  const out: T[] = [];
  let i = 0;
  try {
    for (; i < value.length; i++) out.push(read(value[i]));
  } catch (error) {
    return within(error, key, i);
  }
  return out;
}

/**
 * Runs `read` on a reply's `result`; a FieldMismatch becomes the same invalid_reply error `parseReply` gives for a
 * zod mismatch: `fieldPath` like `[3].src_port`, detail `<fieldPath>: expected …, received …`.
 */
export function checkReply<T>(
  method: string,
  nodeUrl: string,
  result: unknown,
  read: (result: unknown) => T,
): T {
  try {
    return read(result);
  } catch (error) {
    if (!(error instanceof FieldMismatch)) throw error;
    const fieldPath = formatIssuePath(error.path);
    const detail = `${fieldPath}: ${error.expected}`;
    throw new KamailioRpcError({ kind: "invalid_reply", method, nodeUrl, detail, fieldPath, cause: error });
  }
}
