import type { Server } from "node:http";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { can, kioskActor, tokenActor } from "@/lib/auth/actor";
import { roleHas } from "@/lib/auth/permissions";
import {
  createMetricsServer,
  listenMetricsServer,
  readMetricsListenerConfig,
} from "@/lib/prometheus/listener";
import { proxy } from "@/proxy";
import { captureLog } from "../support/log-capture";

// Who may read /metrics (permission table, proxy.ts) and the optional open listener (KAMDASH_METRICS_PORT).

describe("/metrics access", () => {
  it("is metrics.read: viewer, operator and admin, never a kiosk", () => {
    for (const role of ["viewer", "operator", "admin"] as const)
      expect(roleHas(role, "metrics.read")).toBe(true);
    expect(can(kioskActor({ tokenId: 1, name: "noc" }), "metrics.read")).toBe(false);
    expect(can(tokenActor({ tokenId: 2, name: "wall", role: "admin", kiosk: true }), "metrics.read")).toBe(
      false,
    );
    expect(can(tokenActor({ tokenId: 3, name: "prom", role: "viewer", kiosk: false }), "metrics.read")).toBe(
      true,
    );
  });

  it("proxy.ts answers /metrics without credentials with 401 (not the login page) and lets bearer tokens through", async () => {
    const bare = proxy(new NextRequest("http://127.0.0.1:3000/metrics"));
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe('Bearer realm="kamdash"');
    expect(await bare.json()).toEqual({
      error: { code: "unauthorized", message: "Sign in or send a valid API token" },
    });
    const bearer = proxy(
      new NextRequest("http://127.0.0.1:3000/metrics", { headers: { authorization: "Bearer kd_x" } }),
    );
    expect(bearer.headers.get("x-middleware-next")).toBe("1");
  });
});

describe("open metrics listener", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("is off unless KAMDASH_METRICS_PORT is set; binds 127.0.0.1 unless KAMDASH_METRICS_HOST says otherwise", () => {
    expect(readMetricsListenerConfig({})).toBeNull();
    expect(readMetricsListenerConfig({ KAMDASH_METRICS_PORT: " " })).toBeNull();
    expect(readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "9464" })).toEqual({
      host: "127.0.0.1",
      port: 9464,
    });
    expect(
      readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "9464", KAMDASH_METRICS_HOST: "10.0.0.5" }),
    ).toEqual({
      host: "10.0.0.5",
      port: 9464,
    });
    expect(() => readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "http" })).toThrow(/KAMDASH_METRICS_PORT/);
    expect(() => readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "70000" })).toThrow(/65535/);
    expect(() => readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "0" })).toThrow();
    expect(() =>
      readMetricsListenerConfig({ KAMDASH_METRICS_PORT: "1", KAMDASH_METRICS_HOST: "a b" }),
    ).toThrow(/KAMDASH_METRICS_HOST/);
  });

  it("serves GET /metrics without auth, 404 elsewhere, 405 for other methods, 500 without details on failure", async () => {
    let fail = false;
    server = createMetricsServer(async () => {
      if (fail) throw new Error("secret detail");
      return {
        text: 'kamdash_node_up{node="lab"} 1\n',
        contentType: "text/plain; version=0.0.4; charset=utf-8",
      };
    });
    const { port } = await listenMetricsServer(server, { host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${port}`;

    const ok = await fetch(`${base}/metrics`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await ok.text()).toBe('kamdash_node_up{node="lab"} 1\n');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
    fail = true;
    const quiet = captureLog();
    try {
      const broken = await fetch(`${base}/metrics`);
      expect(broken.status).toBe(500);
      expect(await broken.text()).not.toContain("secret");
    } finally {
      quiet.restore();
    }
    expect(quiet.lines()).toEqual([
      expect.objectContaining({ level: "error", msg: "rendering /metrics failed" }),
    ]);
  });

  it("names the address when it cannot listen", async () => {
    const first = createMetricsServer();
    const { port } = await listenMetricsServer(first, { host: "127.0.0.1", port: 0 });
    server = first;
    await expect(listenMetricsServer(createMetricsServer(), { host: "127.0.0.1", port })).rejects.toThrow(
      `metrics listener cannot listen on 127.0.0.1:${port}: `,
    );
  });
});
