import { describe, expect, it } from "vitest";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { attemptHandshake, isJsonRpcResult, postJsonRpc } from "../support/http-probe";

// What the HTTP side of the gateway accepts: WebSocket handshakes only on 8080/8443 with an allowed
// Origin and a Host that is the gateway; JSON-RPC only on 5080.

const gateway = setUpGatewayFixture({ first: 33, count: 0 });

const webSocketPorts = (lab: typeof gateway.lab) => [
  { name: "WS 8080", url: lab.sip.ws },
  { name: "WSS 8443", url: lab.sip.wss },
];

describe("WebSocket handshake", () => {
  it("is accepted (101, sub-protocol sip) with an allowed Origin on WS and WSS", async () => {
    for (const { name, url } of webSocketPorts(gateway.lab)) {
      for (const origin of gateway.lab.origins) {
        const reply = await attemptHandshake(url, { origin });
        expect(reply.status, `${name} with Origin ${origin}`).toBe(101);
        expect(reply.headers["sec-websocket-protocol"], `${name} sub-protocol`).toBe("sip");
      }
    }
  });

  it("is refused with 403 for a foreign Origin", async () => {
    for (const { name, url } of webSocketPorts(gateway.lab)) {
      for (const origin of ["https://evil.example", "null", `${gateway.lab.origins[0]}.evil.example`]) {
        const reply = await attemptHandshake(url, { origin });
        expect(reply.status, `${name} with Origin ${origin}`).toBe(403);
      }
    }
  });

  it("is refused with 403 without an Origin header", async () => {
    for (const { name, url } of webSocketPorts(gateway.lab)) {
      expect((await attemptHandshake(url, {})).status, name).toBe(403);
    }
  });

  it("is refused with 403 for a Host that is not the gateway", async () => {
    const origin = gateway.lab.origins[0];
    for (const { name, url } of webSocketPorts(gateway.lab)) {
      for (const host of ["evil.example", "evil.example:8443", "10.1.2.3:8080"]) {
        const reply = await attemptHandshake(url, { origin, host });
        expect(reply.status, `${name} with Host ${host}`).toBe(403);
      }
    }
  });

  it("is refused (403/404/405) for methods other than GET", async () => {
    const origin = gateway.lab.origins[0];
    for (const { name, url } of webSocketPorts(gateway.lab)) {
      for (const method of ["POST", "PUT", "OPTIONS"]) {
        const reply = await attemptHandshake(url, { origin, method });
        expect([403, 404, 405], `${name} ${method} upgrade → ${reply.status}`).toContain(reply.status);
      }
    }
  });

  it("is refused on the RPC port 5080", async () => {
    const rpcBase = new URL(gateway.lab.rpc);
    for (const path of ["/", "/RPC", "/ws"]) {
      const reply = await attemptHandshake(`ws://${rpcBase.host}${path}`, { origin: gateway.lab.origins[0] });
      expect(reply.status, `handshake on ${rpcBase.host}${path}`).not.toBe(101);
      expect(reply.status, `handshake on ${rpcBase.host}${path}`).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("JSON-RPC", () => {
  it("answers on 5080 /RPC", async () => {
    const reply = await postJsonRpc(gateway.lab.rpc);
    expect(reply.status).toBe(200);
    expect(isJsonRpcResult(reply), reply.body).toBe(true);
  });

  it("is refused on the WebSocket ports 8080 and 8443 and on other paths of 5080", async () => {
    const rpcBase = new URL(gateway.lab.rpc);
    const targets = [
      ...webSocketPorts(gateway.lab).map(({ name, url }) => ({ name: `${name} /RPC`, url: `${url}/RPC` })),
      ...webSocketPorts(gateway.lab).map(({ name, url }) => ({ name: `${name} /`, url: `${url}/` })),
      { name: "5080 /rpc-not-here", url: `http://${rpcBase.host}/rpc-not-here` },
    ];
    for (const { name, url } of targets) {
      const reply = await postJsonRpc(url);
      expect(isJsonRpcResult(reply), `${name} must not answer JSON-RPC: ${reply.status} ${reply.body}`).toBe(
        false,
      );
      expect(reply.status, name).toBeGreaterThanOrEqual(400);
    }
  });
});
