import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generatePassword, subscriberHashes } from "./hash";

describe("subscriberHashes", () => {
  it("gives the issue's reference MD5 values for (1001, example.org, s3cret)", () => {
    expect(
      subscriberHashes({ username: "1001", domain: "example.org", password: "s3cret", realm: "example.org" }),
    ).toEqual({
      ha1: "ee0b6e52a024dc6b1db98a969a00185a",
      ha1b: "57f2eac2ae05f658ce160a10f694cdee",
    });
  });

  it("uses the realm, not the domain, in both hashes when they differ", () => {
    const h = subscriberHashes({
      username: "1001",
      domain: "example.org",
      password: "s3cret",
      realm: "sip.example.org",
    });
    expect(h.ha1).toBe(createHash("md5").update("1001:sip.example.org:s3cret").digest("hex"));
    expect(h.ha1b).toBe(createHash("md5").update("1001@example.org:sip.example.org:s3cret").digest("hex"));
  });

  it("computes SHA-256 when selected (64 hex digits)", () => {
    const h = subscriberHashes(
      { username: "1001", domain: "example.org", password: "s3cret", realm: "example.org" },
      "sha256",
    );
    expect(h.ha1).toBe(createHash("sha256").update("1001:example.org:s3cret").digest("hex"));
    expect(h.ha1).toHaveLength(64);
    expect(h.ha1b).toBe(createHash("sha256").update("1001@example.org:example.org:s3cret").digest("hex"));
  });

  it("hashes a non-ASCII password as its UTF-8 bytes", () => {
    const password = "Grüße-パス\"':@";
    const h = subscriberHashes({ username: "u", domain: "d", password, realm: "d" });
    const bytes = Buffer.concat([
      Buffer.from("u:d:"),
      Buffer.from([0x47, 0x72, 0xc3, 0xbc, 0xc3, 0x9f, 0x65]),
    ]);
    expect(Buffer.from(password, "utf8").subarray(0, 7)).toEqual(bytes.subarray(4));
    expect(h.ha1).toBe(
      createHash("md5")
        .update(Buffer.from(`u:d:${password}`, "utf8"))
        .digest("hex"),
    );
    // latin1 would give another digest: the UTF-8 choice is observable
    expect(h.ha1).not.toBe(
      createHash("md5")
        .update(Buffer.from(`u:d:${password}`, "latin1"))
        .digest("hex"),
    );
  });
});

describe("generatePassword", () => {
  it("gives 20 unambiguous letters and digits, different each time", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
