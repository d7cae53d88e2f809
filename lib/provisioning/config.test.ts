import { describe, expect, it } from "vitest";
import { provisioningStatus, readProvisioningConfig, realmFor } from "./config";

const noLab = "/nonexistent/lab.json";
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("readProvisioningConfig", () => {
  it("is not configured without KAMAILIO_DB_URL or a lab", () => {
    expect(readProvisioningConfig(env({}), noLab)).toEqual({
      config: null,
      reason: "not configured: set KAMAILIO_DB_URL",
    });
  });

  it("reads the variables: domains lower-cased, realms per domain, hash, clear-text column, minimum", () => {
    const read = readProvisioningConfig(
      env({
        KAMAILIO_DB_URL: "postgres://k:secret@db/kamailio",
        KAMDASH_SIP_DOMAINS: "Example.org, sip.test",
        KAMDASH_SIP_REALMS: "example.org=realm.example.org",
        KAMDASH_SUBSCRIBER_HASH: "sha256",
        KAMDASH_SUBSCRIBER_STORE_PASSWORD: "1",
        KAMDASH_SUBSCRIBER_MIN_PASSWORD: "12",
      }),
      noLab,
    );
    expect(read.config).toMatchObject({
      dbSource: "env",
      domains: ["example.org", "sip.test"],
      domainsSource: "env",
      hash: "sha256",
      storeClearPassword: true,
      minPasswordLength: 12,
    });
    if (!read.config) throw new Error("configured");
    expect(realmFor(read.config, "EXAMPLE.ORG")).toBe("realm.example.org");
    expect(realmFor(read.config, "sip.test")).toBe("sip.test");
  });

  it("refuses a wrong hash name instead of falling back, and the status says why without the DB password", () => {
    expect(() =>
      readProvisioningConfig(
        env({ KAMAILIO_DB_URL: "postgres://x/y", KAMDASH_SUBSCRIBER_HASH: "sha1" }),
        noLab,
      ),
    ).toThrow("md5 or sha256");
    const status = provisioningStatus(
      env({
        KAMAILIO_DB_URL: "postgres://k:secret@db/kamailio",
        KAMDASH_SIP_DOMAINS: "a.b",
      }),
    );
    expect(status).toMatchObject({ configured: true, dbDisplay: "postgres://k:***@db/kamailio" });
  });
});
