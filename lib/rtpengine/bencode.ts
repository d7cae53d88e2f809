/**
 * Bencode, as RTPEngine's NG protocol uses it, on top of the `bencode` package (webtorrent/node-bencode 4.0.1).
 * Byte strings decode to JS strings as UTF-8 (NG replies are text: SDP, call-ids, tags, flags).
 * Integers decode to numbers; values beyond 2^53 lose precision (no NG counter gets near that).
 * A key repeated in one dictionary keeps its last value: RTPEngine up to mr10.0 repeats the "" key in `query`
 * replies of forked calls.
 */
// @ts-expect-error bencode 4.0.1 ships no type declarations; the part used here is typed just below.
import bencodeLibrary from "bencode";

const library: {
  encode(value: unknown): Uint8Array;
  /** Byte strings come back as Uint8Array; its `encoding` argument throws on any dictionary in 4.0.1. */
  decode(data: Uint8Array): unknown;
} = bencodeLibrary;

export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

export class BencodeError extends Error {
  constructor(
    message: string,
    /** Byte offset of the fault; undefined when the library reported it (it gives none). */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} at byte ${offset}`);
    this.name = "BencodeError";
  }
}

const MAX_DEPTH = 64;

/**
 * Dictionary keys come out sorted by UTF-16 code unit (the library's order): byte order as long as no key holds
 * a character past U+FFFF. Entries whose value is undefined are left out.
 */
export function bencodeEncode(value: BencodeValue | Uint8Array): Buffer {
  checkEncodable(value, 0);
  const bytes = library.encode(value);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// The library does not refuse anything: it skips null list items, writes booleans as 0/1, warns and truncates
// floats, and writes a key with no value for a bigint or a function. Refuse those before it sees them.
function checkEncodable(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError("bencode: value nested too deeply");
  if (typeof value === "string" || value instanceof Uint8Array) return;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`bencode: only safe integers can be encoded, got ${value}`);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) checkEncodable(item, depth + 1);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) if (item !== undefined) checkEncodable(item, depth + 1);
  } else {
    throw new TypeError(`bencode: cannot encode ${describe(value)}`);
  }
}

/** "null", "boolean", "bigint", … or the class of an object ("Map", "Date"). */
function describe(value: unknown): string {
  if (value === null) return "null";
  return typeof value === "object" ? Object.prototype.toString.call(value).slice(8, -1) : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Decodes exactly one bencoded value; malformed input, trailing bytes and nesting past 64 levels throw.
 * A key that is not valid UTF-8 comes out as the hex of its bytes (the library's choice).
 */
export function bencodeDecode(input: Uint8Array): BencodeValue {
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  checkWellFormed(buffer);
  let decoded: unknown;
  try {
    decoded = library.decode(buffer);
  } catch (error) {
    throw new BencodeError(`bencode library: ${error instanceof Error ? error.message : String(error)}`);
  }
  return fromLibrary(decoded);
}

function fromLibrary(value: unknown): BencodeValue {
  // isView, not instanceof: a dictionary whose prototype became a byte string is not one.
  if (ArrayBuffer.isView(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  }
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map(fromLibrary);
  // A dictionary. The library assigns keys onto a `{}`, so a "__proto__" key set its prototype instead (and
  // one with an integer value was dropped): put it back as data. Object.fromEntries defines own properties.
  const dict = value as Record<string, unknown>;
  const entries = Object.keys(dict).map((key) => [key, fromLibrary(dict[key])] as const);
  const proto: unknown = Object.getPrototypeOf(dict);
  if (proto !== Object.prototype && proto !== null) entries.unshift(["__proto__", fromLibrary(proto)]);
  return Object.fromEntries(entries);
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const CHAR_E = 0x65;
const CHAR_I = 0x69;
const CHAR_L = 0x6c;
const CHAR_D = 0x64;

const isDigit = (byte: number) => byte >= DIGIT_0 && byte <= DIGIT_9;

// The library checks no syntax: it reads "ie" as 0, a short string as whatever is left, ignores trailing
// bytes, overflows the stack on deep nesting, and loops forever on a negative string length ("l-3:e" moves
// its cursor back). NG replies arrive on UDP from anyone, so walk the structure first, without recursion.
function checkWellFormed(buf: Buffer): void {
  const open: { dict: boolean; keyNext: boolean }[] = [];
  let pos = 0;
  do {
    const top = open.at(-1);
    const lead = buf[pos];
    if (lead === undefined) throw new BencodeError("unexpected end of input", pos);
    if (lead === CHAR_E && top && (!top.dict || top.keyNext)) {
      open.pop();
      pos += 1;
    } else if (top?.dict && top.keyNext && !isDigit(lead)) {
      throw new BencodeError("dictionary key is not a string", pos);
    } else if (lead === CHAR_L || lead === CHAR_D) {
      if (open.length >= MAX_DEPTH) throw new BencodeError("value nested too deeply", pos);
      open.push({ dict: lead === CHAR_D, keyNext: true });
      pos += 1;
      continue; // the container is a value of its parent once it closes
    } else if (lead === CHAR_I) {
      pos = skipInteger(buf, pos);
    } else if (isDigit(lead)) {
      pos = skipString(buf, pos);
    } else {
      throw new BencodeError(`unexpected byte 0x${lead.toString(16).padStart(2, "0")}`, pos);
    }
    const parent = open.at(-1);
    if (parent?.dict) parent.keyNext = !parent.keyNext;
  } while (open.length > 0);
  if (pos !== buf.length) throw new BencodeError("trailing data after the value", pos);
}

function skipInteger(buf: Buffer, at: number): number {
  const end = buf.indexOf(CHAR_E, at + 1);
  if (end === -1) throw new BencodeError("unterminated integer", at);
  const text = buf.toString("latin1", at + 1, end);
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) throw new BencodeError(`malformed integer "${text}"`, at);
  return end + 1;
}

function skipString(buf: Buffer, at: number): number {
  const colon = buf.indexOf(COLON, at);
  if (colon === -1) throw new BencodeError("string length without ':'", at);
  const lengthText = buf.toString("latin1", at, colon);
  if (!/^(0|[1-9][0-9]*)$/.test(lengthText)) {
    throw new BencodeError(`malformed string length "${lengthText}"`, at);
  }
  const end = colon + 1 + Number(lengthText);
  if (end > buf.length) throw new BencodeError("string runs past the end of input", at);
  return end;
}
