import { describe, expect, it } from "vitest";
import { BencodeError, bencodeDecode, bencodeEncode } from "./bencode";

const text = (value: Parameters<typeof bencodeEncode>[0]) => bencodeEncode(value).toString("utf8");
const decode = (value: string) => bencodeDecode(Buffer.from(value, "utf8"));

describe("bencodeEncode", () => {
  it("encodes strings, integers, lists and dictionaries", () => {
    expect(text("spam")).toBe("4:spam");
    expect(text("")).toBe("0:");
    expect(text(42)).toBe("i42e");
    expect(text(-7)).toBe("i-7e");
    expect(text(0)).toBe("i0e");
    expect(text(["a", 1, ["b"]])).toBe("l1:ai1el1:bee");
    expect(text({ command: "ping" })).toBe("d7:command4:pinge");
  });

  // The library sorts by UTF-16 code unit: byte order as long as no key holds a character past U+FFFF.
  it("sorts dictionary keys by their bytes", () => {
    expect(text({ z: 1, "call-id": "x", a: "y", B: 2 })).toBe("d1:Bi2e1:a1:y7:call-id1:x1:zi1ee");
  });

  it("counts UTF-8 bytes, not characters, in string lengths", () => {
    expect(text("é")).toBe("2:é");
    expect(bencodeEncode("€").length).toBe(5);
  });

  it("passes raw bytes through", () => {
    expect(bencodeEncode(new Uint8Array([0, 255]))).toEqual(Buffer.from([0x32, 0x3a, 0, 255]));
  });

  it("rejects what bencode cannot represent", () => {
    expect(() => bencodeEncode(1.5)).toThrow(TypeError);
    // @ts-expect-error: null is not a bencode value
    expect(() => bencodeEncode(null)).toThrow(/cannot encode null/);
    // @ts-expect-error: booleans are not bencode values
    expect(() => bencodeEncode({ flag: true })).toThrow(/cannot encode boolean/);
    expect(() => bencodeEncode(2 ** 53)).toThrow(/only safe integers can be encoded, got 9007199254740992/);
    // The library would skip these, or write a key with no value, instead of failing.
    // @ts-expect-error: undefined is not a bencode value
    expect(() => bencodeEncode(["a", undefined])).toThrow(/cannot encode undefined/);
    // @ts-expect-error: bigints are not bencode values
    expect(() => bencodeEncode({ n: 1n })).toThrow(/cannot encode bigint/);
    // @ts-expect-error: a Map is not a bencode value
    expect(() => bencodeEncode({ m: new Map() })).toThrow(/cannot encode Map/);
  });

  it("leaves out dictionary entries whose value is undefined", () => {
    expect(text({ a: 1, b: undefined } as unknown as Record<string, number>)).toBe("d1:ai1ee");
  });
});

describe("bencodeDecode", () => {
  it("round-trips a typical NG reply", () => {
    const reply = {
      result: "ok",
      totals: { RTP: { packets: 250, bytes: 43000, errors: 0 } },
      calls: ["a@b", "c@d"],
      "error-reason": "",
    };
    expect(bencodeDecode(bencodeEncode(reply))).toEqual(reply);
  });

  it("decodes UTF-8 strings and negative integers", () => {
    expect(decode("2:é")).toBe("é");
    expect(decode("i-3e")).toBe(-3);
    expect(decode("d1:ai-1ee")).toEqual({ a: -1 });
  });

  it("keeps a __proto__ key as plain data", () => {
    const value = decode("d9:__proto__d1:xi1eee") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.x).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const bytes = decode("d1:ai1e9:__proto__2:hie") as Record<string, unknown>;
    expect(Object.entries(bytes)).toEqual([
      ["__proto__", "hi"],
      ["a", 1],
    ]);
    // The library assigns the key, so an integer value is lost: JS ignores a primitive prototype.
    expect(decode("d9:__proto__i5e1:ai1ee")).toEqual({ a: 1 });
  });

  it('keeps the last value of a repeated key (RTPEngine up to mr10.0 repeats "" in forked query replies)', () => {
    expect(decode("d0:d3:tag1:ae0:d3:tag1:be1:zi1ee")).toEqual({ "": { tag: "b" }, z: 1 });
  });

  it.each([
    ["i03e", /malformed integer/],
    ["i-0e", /malformed integer/],
    ["ie", /malformed integer/],
    ["i12", /unterminated integer/],
    ["5:abc", /runs past the end/],
    ["03:abc", /malformed string length/],
    ["l1:a", /unterminated list|unexpected end/],
    ["d1:a", /unexpected end/],
    ["di1ei2ee", /key is not a string/],
    ["x", /unexpected byte 0x78/],
    ["l-3:e", /unexpected byte 0x2d/], // the library loops forever on this one
    ["d1:ae", /unexpected byte 0x65/],
    ["i1ei2e", /trailing data/],
    ["", /unexpected end/],
  ])("rejects %j", (input, message) => {
    expect(() => decode(input)).toThrow(BencodeError);
    expect(() => decode(input)).toThrow(message);
  });

  it("rejects absurd nesting instead of overflowing the stack", () => {
    // 20 000 levels fit in one UDP datagram and overflow the library's recursive decoder.
    for (const depth of [200, 20_000]) {
      expect(() => decode(`${"l".repeat(depth)}${"e".repeat(depth)}`)).toThrow(
        /nested too deeply at byte 64/,
      );
    }
  });
});
