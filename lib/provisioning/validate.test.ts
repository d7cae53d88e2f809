import { describe, expect, it } from "vitest";
import { parseAor, type ValidationRules, validateSubscriber } from "./validate";

const rules: ValidationRules = {
  domains: ["example.org", "127.0.0.1"],
  minPasswordLength: 8,
  usernameMax: 64,
  domainMax: 64,
  passwordMax: null,
};
const ok = { username: "1001", domain: "example.org", password: "long enough" };

describe("validateSubscriber", () => {
  it("accepts every RFC 3261 user-part character, %HH escapes, and a served domain in any case", () => {
    expect(validateSubscriber(ok, rules)).toEqual({});
    expect(validateSubscriber({ ...ok, username: "a-_.!~*'()&=+$,;?/%41z" }, rules)).toEqual({});
    expect(validateSubscriber({ ...ok, domain: "EXAMPLE.org" }, rules)).toEqual({});
  });

  it.each([
    ["", "is required"],
    ["a b", 'not " "'],
    ['a"b', "not"],
    ["a<b>", 'not "<"'],
    ["a@b", 'not "@"'],
    ["a:b", 'not ":"'],
    ["jürgen", 'not "ü"'],
    ["50%", "% not followed by two hex digits"],
    ["x".repeat(65), "at most 64 characters"],
  ])("refuses the username %j (%s)", (username, message) => {
    expect(validateSubscriber({ ...ok, username }, rules).username).toContain(message);
  });

  it("refuses an unknown or empty domain, naming the served ones", () => {
    expect(validateSubscriber({ ...ok, domain: "evil.org" }, rules).domain).toBe(
      "is not served by this Kamailio (served: example.org, 127.0.0.1)",
    );
    expect(validateSubscriber({ ...ok, domain: "" }, rules).domain).toBe("is required");
    expect(validateSubscriber(ok, { ...rules, domains: [] }).domain).toContain("KAMDASH_SIP_DOMAINS");
  });

  it("applies the password policy: minimum length in characters, not the username, no control characters", () => {
    expect(validateSubscriber({ ...ok, password: "short" }, rules).password).toBe(
      "must be at least 8 characters",
    );
    expect(validateSubscriber({ ...ok, password: "ääääääää" }, rules)).toEqual({});
    expect(validateSubscriber({ ...ok, username: "longuser1", password: "longuser1" }, rules).password).toBe(
      "must not be the username",
    );
    expect(validateSubscriber({ ...ok, password: "tab\there-long" }, rules).password).toContain("control");
    expect(
      validateSubscriber({ ...ok, password: "a".repeat(65) }, { ...rules, passwordMax: 64 }).password,
    ).toBe("must be at most 64 characters");
    expect(validateSubscriber({ ...ok, password: "short" }, { ...rules, minPasswordLength: 4 })).toEqual({});
  });

  it("reports every bad field at once", () => {
    expect(Object.keys(validateSubscriber({ username: "", domain: "", password: "" }, rules)).sort()).toEqual(
      ["domain", "password", "username"],
    );
  });
});

describe("parseAor", () => {
  it("splits user@domain, drops a sip: scheme, and uses the default domain for a bare user", () => {
    expect(parseAor("1001@example.org")).toEqual({ username: "1001", domain: "example.org" });
    expect(parseAor("sip:1001@example.org")).toEqual({ username: "1001", domain: "example.org" });
    expect(parseAor("1001", "127.0.0.1")).toEqual({ username: "1001", domain: "127.0.0.1" });
    expect(parseAor("1001")).toBeNull();
    expect(parseAor("@example.org")).toBeNull();
  });
});
