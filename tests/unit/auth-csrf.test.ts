import { describe, expect, it } from "vitest";
import { csrfHeaders } from "@/lib/auth/csrf-client";
import { checkCsrf, isHttpsRequest, isSameOrigin, safeNextPath } from "@/lib/auth/request-info";

const csrf = "csrf-token-of-the-session";

function h(entries: Record<string, string>): Headers {
  return new Headers(entries);
}

describe("CSRF checks for cookie-authenticated requests", () => {
  const sameOrigin = { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" };

  it("lets safe methods through without Origin or token", () => {
    expect(checkCsrf("GET", h({ host: "127.0.0.1:3000" }), csrf)).toEqual({ ok: true });
    expect(checkCsrf("HEAD", h({}), null)).toEqual({ ok: true });
  });

  it("needs same Origin and the session's token for mutations", () => {
    expect(checkCsrf("POST", h({ ...sameOrigin, "x-csrf-token": csrf }), csrf)).toEqual({ ok: true });
    expect(checkCsrf("DELETE", h({ ...sameOrigin, "x-csrf-token": csrf }), csrf)).toEqual({ ok: true });
  });

  it("refuses a foreign, missing or opaque Origin", () => {
    const token = { "x-csrf-token": csrf };
    expect(
      checkCsrf("POST", h({ host: "127.0.0.1:3000", origin: "https://evil.example", ...token }), csrf),
    ).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(checkCsrf("POST", h({ host: "127.0.0.1:3000", ...token }), csrf)).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(checkCsrf("POST", h({ host: "127.0.0.1:3000", origin: "null", ...token }), csrf).ok).toBe(false);
    expect(
      checkCsrf("POST", h({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001", ...token }), csrf).ok,
    ).toBe(false);
    expect(checkCsrf("PUT", h({ host: "127.0.0.1:3000", origin: "not a url", ...token }), csrf).ok).toBe(
      false,
    );
  });

  it("refuses a missing or wrong token even from the same origin", () => {
    expect(checkCsrf("POST", h(sameOrigin), csrf)).toEqual({ ok: false, reason: "token" });
    expect(checkCsrf("POST", h({ ...sameOrigin, "x-csrf-token": "guess" }), csrf)).toEqual({
      ok: false,
      reason: "token",
    });
    expect(checkCsrf("POST", h({ ...sameOrigin, "x-csrf-token": csrf }), null)).toEqual({
      ok: false,
      reason: "token",
    });
  });

  it("accepts the forwarded host of a reverse proxy", () => {
    const headers = h({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "kamdash.example.net",
      origin: "https://kamdash.example.net",
    });
    expect(isSameOrigin(headers)).toBe(true);
  });
});

describe("request facts", () => {
  it("detects https from the URL or x-forwarded-proto", () => {
    expect(isHttpsRequest(h({}), "https://x/")).toBe(true);
    expect(isHttpsRequest(h({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttpsRequest(h({ "x-forwarded-proto": "https,http" }))).toBe(true);
    expect(isHttpsRequest(h({ "x-forwarded-proto": "http" }), "http://x/")).toBe(false);
  });

  it("only redirects to local paths after sign-in", () => {
    expect(safeNextPath("/nodes/lab?x=1")).toBe("/nodes/lab?x=1");
    for (const bad of [
      null,
      "",
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "/login",
      "/login?next=/x",
      "/a\nb",
      "nodes",
    ]) {
      expect(safeNextPath(bad, "/"), String(bad)).toBe("/");
    }
  });
});

describe("csrfHeaders (client side)", () => {
  it("reads the kamdash_csrf cookie into the x-csrf-token header", () => {
    expect(csrfHeaders("theme=dark; kamdash_csrf=abc-DEF_123; other=1")).toEqual({
      "x-csrf-token": "abc-DEF_123",
    });
    expect(csrfHeaders("theme=dark")).toEqual({});
    expect(csrfHeaders("")).toEqual({});
  });
});
