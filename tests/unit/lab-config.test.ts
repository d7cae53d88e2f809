import { describe, expect, it } from "vitest";
import { buildLabConfig, labConfigSchema } from "../../scripts/lab/config";
import { digestHashes, labUsers } from "../../scripts/lab/db";

describe("lab subscribers", () => {
  it("computes ha1/ha1b as kamctl does (realm = domain), checked against md5sum", () => {
    expect(digestHashes("1001", "127.0.0.1", "secret")).toEqual({
      ha1: "2c8f61e3df784c486fcb20d39acc33bb",
      ha1b: "a17e54d7b50c54f04af07d4b76d0d4fb",
    });
  });

  it("keeps recorded passwords and numbers new users from 1001", () => {
    const users = labUsers(3, [{ username: "1002", password: "kept" }]);
    expect(users.map((user) => user.username)).toEqual(["1001", "1002", "1003"]);
    expect(users[1]?.password).toBe("kept");
    expect(users[0]?.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(users[0]?.password).not.toBe(users[2]?.password);
  });
});

describe("lab.json", () => {
  it("has the endpoints of the shared contract", () => {
    const config = labConfigSchema.parse(
      buildLabConfig("postgres://db/kamailio", [], ["http://127.0.0.1:8088"]),
    );
    expect(config).toMatchObject({
      domain: "127.0.0.1",
      sip: {
        udp: "127.0.0.1:5060",
        tcp: "127.0.0.1:5060",
        tls: "127.0.0.1:5061",
        ws: "ws://127.0.0.1:8080",
        wss: "wss://127.0.0.1:8443",
      },
      rpc: "http://127.0.0.1:5080/RPC",
      rtpengine: { ng: "127.0.0.1:22222", http: "http://127.0.0.1:22223" },
      db: "postgres://db/kamailio",
    });
  });
});
