import { describe, expect, it } from "vitest";
import { BencodeError, bencodeDecode, bencodeDecodePrefix, bencodeEncode } from "./bencode";

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
    expect(({} as Record<string, unknown>).x).toBeUndefined();
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
    ["i1ei2e", /trailing data/],
    ["", /unexpected end/],
  ])("rejects %j", (input, message) => {
    expect(() => decode(input)).toThrow(BencodeError);
    expect(() => decode(input)).toThrow(message);
  });

  it("rejects absurd nesting instead of overflowing the stack", () => {
    expect(() => decode(`${"l".repeat(200)}${"e".repeat(200)}`)).toThrow(/nested too deeply/);
  });

  it("decodes a prefix and reports where it ended", () => {
    expect(bencodeDecodePrefix(Buffer.from("4:spamrest"))).toEqual(["spam", 6]);
  });
});
