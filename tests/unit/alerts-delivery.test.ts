import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertDeliveryConfigFromEnv, displayTarget } from "@/lib/alerts/config";
import { RETRY_DELAYS_MS, withRetries } from "@/lib/alerts/retry";
import { signBody, verifySignature } from "@/lib/alerts/signature";

const secret = "test-secret-0123456789";

describe("webhook signature", () => {
  const body = JSON.stringify({ event: "firing", rule: "Node down", node: "edge1" });

  it("is t=<unix s>,v1=<hex HMAC-SHA256 of '<t>.<body>'> and verifies", () => {
    const header = signBody(secret, body, 1_700_000_000);
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature(secret, body, header, 1_700_000_010)).toBe(true);
  });

  it("refuses another body, another secret, an old timestamp and malformed headers", () => {
    const header = signBody(secret, body, 1_700_000_000);
    expect(verifySignature(secret, `${body} `, header, 1_700_000_000)).toBe(false);
    expect(verifySignature("another-secret-0123456", body, header, 1_700_000_000)).toBe(false);
    expect(verifySignature(secret, body, header, 1_700_000_000 + 301)).toBe(false);
    for (const bad of [
      null,
      "",
      "t=1700000000",
      "v1=abc",
      "t=x,v1=00",
      `t=1700000000,v1=${"0".repeat(64)}`,
    ]) {
      expect(verifySignature(secret, body, bad, 1_700_000_000)).toBe(false);
    }
  });
});

describe("retry back-off", () => {
  it("waits 1, 2, 4, 8, 16 s between 6 attempts, then gives up (each attempt recorded, the last as final)", async () => {
    const slept: number[] = [];
    const recorded: [number, boolean, boolean][] = [];
    const delivered = await withRetries(async () => ({ ok: false, httpStatus: 503, error: "HTTP 503" }), {
      sleep: async (ms) => {
        slept.push(ms);
      },
      onAttempt: (n, result, final) => {
        recorded.push([n, result.ok, final]);
      },
    });
    expect(delivered).toBe(false);
    expect(RETRY_DELAYS_MS).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(slept).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(recorded).toEqual([
      [1, false, false],
      [2, false, false],
      [3, false, false],
      [4, false, false],
      [5, false, false],
      [6, false, true],
    ]);
  });

  it("stops at the first success (3rd attempt after two failures; a throw counts as a failure)", async () => {
    const slept: number[] = [];
    let calls = 0;
    const recorded: [number, boolean, boolean][] = [];
    const delivered = await withRetries(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("ECONNREFUSED");
        return calls === 2
          ? { ok: false, httpStatus: 500, error: "HTTP 500" }
          : { ok: true, httpStatus: 204, error: null };
      },
      {
        sleep: async (ms) => {
          slept.push(ms);
        },
        onAttempt: (n, result, final) => {
          recorded.push([n, result.ok, final]);
        },
      },
    );
    expect(delivered).toBe(true);
    expect(slept).toEqual([1000, 2000]);
    expect(recorded).toEqual([
      [1, false, false],
      [2, false, false],
      [3, true, true],
    ]);
  });
});

describe("delivery settings", () => {
  it("reads webhooks and e-mail from the environment", () => {
    const config = alertDeliveryConfigFromEnv({
      KAMDASH_ALERT_WEBHOOKS: "https://hooks.example.org/a, http://127.0.0.1:9000/b",
      KAMDASH_ALERT_WEBHOOK_SECRET: secret,
      KAMDASH_SMTP_URL: "smtp://127.0.0.1:2525",
      KAMDASH_ALERT_EMAIL_TO: "noc@example.org",
    });
    expect(config).toEqual({
      webhooks: ["https://hooks.example.org/a", "http://127.0.0.1:9000/b"],
      webhookSecret: secret,
      email: { smtpUrl: "smtp://127.0.0.1:2525", to: ["noc@example.org"], from: "kamdash@localhost" },
    });
    expect(alertDeliveryConfigFromEnv({})).toEqual({ webhooks: [], webhookSecret: null, email: null });
  });

  it("refuses webhooks without a secret and URLs that are not http(s)", () => {
    expect(() => alertDeliveryConfigFromEnv({ KAMDASH_ALERT_WEBHOOKS: "https://x.example/" })).toThrow(
      /KAMDASH_ALERT_WEBHOOK_SECRET/,
    );
    expect(() =>
      alertDeliveryConfigFromEnv({
        KAMDASH_ALERT_WEBHOOKS: "ftp://x/",
        KAMDASH_ALERT_WEBHOOK_SECRET: secret,
      }),
    ).toThrow();
  });

  it("stores webhook targets without credentials or query", () => {
    expect(displayTarget("https://user:pw@hooks.example.org/a?token=s3cret")).toBe(
      "https://hooks.example.org/a",
    );
  });
});
