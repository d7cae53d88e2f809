import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CanaryTarget } from "./config";
import { runCanary } from "./run";

// runCanary's failure paths that need no gateway: nothing listening, and a peer that accepts TCP and never answers
// the WebSocket upgrade. Either way the run ends with its outcome and no socket is left open.

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const target = (url: string, timeoutMs: number): CanaryTarget => ({
  url,
  origin: "https://phone.example.org",
  verifyTls: true,
  sipDomain: "example.org",
  caller: { username: "probe1", password: "secret-a" },
  callee: { kind: "user", username: "probe2", password: "secret-b" },
  timeoutMs,
});

/** A TCP server that accepts and stays silent; `open()` counts its connections not yet closed by the peer. */
async function silentServer(): Promise<{ port: number; open: () => number; accepted: () => number }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.resume(); // read (and drop) what comes, so the peer's FIN is seen
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return { port: address.port, open: () => sockets.size, accepted: () => accepted };
}

describe("runCanary without a gateway", () => {
  it("connect_failed when nothing listens", async () => {
    const server = await silentServer();
    const port = server.port;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const run = await runCanary(target(`ws://127.0.0.1:${port}`, 3000));
    expect(run).toMatchObject({
      outcome: "connect_failed",
      registerMs: null,
      setupMs: null,
      sipStatus: null,
    });
    expect(run.reason).toMatch(/^WebSocket: .*ECONNREFUSED/);
  });

  it("timeout naming the phase when the upgrade never comes, and the socket is closed afterwards", async () => {
    const server = await silentServer();
    const run = await runCanary(target(`ws://127.0.0.1:${server.port}`, 500));
    expect(run).toMatchObject({ outcome: "timeout", reason: "no answer within 500 ms (during connect)" });
    expect(server.accepted()).toBe(1);
    // the close reaches the server's side after runCanary resolved: wait for the event, not for a time
    for (let i = 0; i < 100 && server.open() > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.open()).toBe(0);
  });

  it("never puts a password in the result", async () => {
    const run = await runCanary(target("ws://127.0.0.1:1", 1000));
    expect(JSON.stringify(run)).not.toContain("secret");
  });
});
