/**
 * Bencode, as RTPEngine's NG protocol uses it: integers, byte strings, lists and dictionaries.
 * Byte strings decode to JS strings as UTF-8 (NG replies are text: SDP, call-ids, tags, flags).
 * Integers decode to numbers; values beyond 2^53 lose precision (no NG counter gets near that).
 */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

export class BencodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "BencodeError";
  }
}

const MAX_DEPTH = 64;

export function bencodeEncode(value: BencodeValue | Uint8Array): Buffer {
  const parts: Buffer[] = [];
  encodeInto(value, parts, 0);
  return Buffer.concat(parts);
}

function encodeInto(value: unknown, parts: Buffer[], depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError("bencode: value nested too deeply");
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    parts.push(Buffer.from(`${bytes.length}:`), bytes);
  } else if (value instanceof Uint8Array) {
    parts.push(Buffer.from(`${value.length}:`), Buffer.from(value));
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      throw new TypeError(`bencode: only safe integers can be encoded, got ${value}`);
    parts.push(Buffer.from(`i${value}e`));
  } else if (Array.isArray(value)) {
    parts.push(Buffer.from("l"));
    for (const item of value) encodeInto(item, parts, depth + 1);
    parts.push(Buffer.from("e"));
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    // The spec wants keys sorted by their raw bytes.
    entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
    parts.push(Buffer.from("d"));
    for (const [key, item] of entries) {
      encodeInto(key, parts, depth + 1);
      encodeInto(item, parts, depth + 1);
    }
    parts.push(Buffer.from("e"));
  } else {
    throw new TypeError(`bencode: cannot encode ${value === null ? "null" : typeof value}`);
  }
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const MINUS = 0x2d;
const CHAR_E = 0x65;
const CHAR_I = 0x69;
const CHAR_L = 0x6c;
const CHAR_D = 0x64;

/** Decodes exactly one bencoded value; trailing bytes are an error. */
export function bencodeDecode(input: Uint8Array): BencodeValue {
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const [value, end] = decodeAt(buffer, 0, 0);
  if (end !== buffer.length) throw new BencodeError("trailing data after the value", end);
  return value;
}

/** Decodes one value starting at `offset` and returns it with the offset just past it. */
export function bencodeDecodePrefix(input: Uint8Array, offset = 0): [BencodeValue, number] {
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return decodeAt(buffer, offset, 0);
}

function decodeAt(buf: Buffer, offset: number, depth: number): [BencodeValue, number] {
  if (depth > MAX_DEPTH) throw new BencodeError("value nested too deeply", offset);
  const lead = buf[offset];
  if (lead === undefined) throw new BencodeError("unexpected end of input", offset);
  if (lead === CHAR_I) return decodeInteger(buf, offset);
  if (lead >= DIGIT_0 && lead <= DIGIT_9) return decodeString(buf, offset);
  if (lead === CHAR_L) {
    const list: BencodeValue[] = [];
    let pos = offset + 1;
    while (buf[pos] !== CHAR_E) {
      if (pos >= buf.length) throw new BencodeError("unterminated list", offset);
      const [item, next] = decodeAt(buf, pos, depth + 1);
      list.push(item);
      pos = next;
    }
    return [list, pos + 1];
  }
  if (lead === CHAR_D) {
    // A null-prototype object so keys such as "__proto__" stay plain data.
    const dict: { [key: string]: BencodeValue } = Object.create(null);
    let pos = offset + 1;
    while (buf[pos] !== CHAR_E) {
      if (pos >= buf.length) throw new BencodeError("unterminated dictionary", offset);
      const keyByte = buf[pos];
      if (keyByte === undefined || keyByte < DIGIT_0 || keyByte > DIGIT_9) {
        throw new BencodeError("dictionary key is not a string", pos);
      }
      const [key, afterKey] = decodeString(buf, pos);
      const [item, afterValue] = decodeAt(buf, afterKey, depth + 1);
      dict[key] = item;
      pos = afterValue;
    }
    return [{ ...dict }, pos + 1];
  }
  throw new BencodeError(`unexpected byte 0x${lead.toString(16).padStart(2, "0")}`, offset);
}

function decodeInteger(buf: Buffer, offset: number): [number, number] {
  const end = buf.indexOf(CHAR_E, offset + 1);
  if (end === -1) throw new BencodeError("unterminated integer", offset);
  const text = buf.toString("latin1", offset + 1, end);
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) throw new BencodeError(`malformed integer "${text}"`, offset);
  return [Number(text), end + 1];
}

function decodeString(buf: Buffer, offset: number): [string, number] {
  const colon = buf.indexOf(COLON, offset);
  if (colon === -1) throw new BencodeError("string length without ':'", offset);
  const lengthText = buf.toString("latin1", offset, colon);
  if (!/^(0|[1-9][0-9]*)$/.test(lengthText) || buf[offset] === MINUS) {
    throw new BencodeError(`malformed string length "${lengthText}"`, offset);
  }
  const length = Number(lengthText);
  const start = colon + 1;
  if (start + length > buf.length) throw new BencodeError("string runs past the end of input", offset);
  return [buf.toString("utf8", start, start + length), start + length];
}
