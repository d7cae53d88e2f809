import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labUp } from "@/scripts/lab/lab";
import { createTempPostgres, type TempPostgres } from "../integration/storage-support";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";
import { ensureBuild, type RunningApp, startApp } from "./support/app-server";
import { promtoolCheckMetrics, type RunningPrometheus, startPrometheus } from "./support/prometheus";

// A real Prometheus scrapes the built app polling the lab: /metrics with a viewer API token, the open listener
// (KAMDASH_METRICS_PORT) without one, and /metrics without a token (which kamdash must refuse with 401).

let db: TempPostgres | undefined;
let app: RunningApp | undefined;
let prometheus: RunningPrometheus | undefined;
let metricsPort = 0;
let viewerToken = "";
let kioskToken = "";

const base = () => {
  if (!app) throw new Error("the app is not running");
  return app.baseUrl;
};

beforeAll(async () => {
  await labUp();
  await ensureBuild();
  db = await createTempPostgres("e2e_prometheus");
  // this process creates the API tokens in the app's database (lib/db reads it on first use)
  process.env.DATABASE_URL = db.url;
  metricsPort = await freePort();
  app = await startApp({
    DATABASE_URL: db.url,
    KAMDASH_METRICS_PORT: String(metricsPort),
    // a handshake attempt every poll cycle (2 s): the histogram moves between scrapes
    KAMDASH_HANDSHAKE_INTERVAL_MS: "2000",
  });
  const started = app;
  await waitFor(
    async () => {
      const health = (await (await fetch(`${started.baseUrl}/api/health`)).json()) as {
        nodes?: { up: boolean }[];
      };
      return health.nodes?.some((n) => n.up) === true;
    },
    { timeoutMs: 60_000, description: "the lab node to be polled up (/api/health)" },
  );
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  viewerToken = (await createApiToken({ name: "e2e-prometheus", role: "viewer", kiosk: false })).token;
  kioskToken = (await createApiToken({ name: "e2e-prometheus-kiosk", role: "viewer", kiosk: true })).token;
  const appHost = new URL(started.baseUrl).host;
  prometheus = await startPrometheus([
    { job: "kamdash", target: appHost, bearerToken: viewerToken },
    { job: "kamdash-open", target: `127.0.0.1:${metricsPort}` },
    { job: "kamdash-no-token", target: appHost },
  ]);
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
  await app?.stop();
  const { closeDb } = await import("@/lib/db");
  await closeDb();
  await db?.drop();
}, 60_000);

describe("Prometheus export", () => {
  it("serves /metrics to a viewer token, 401 without credentials and 403 to a kiosk token", async () => {
    const bare = await fetch(`${base()}/metrics`, { redirect: "manual" });
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe('Bearer realm="kamdash"');
    const forged = await fetch(`${base()}/metrics`, {
      headers: { authorization: "Bearer kd_not-a-real-token" },
    });
    expect(forged.status).toBe(401);
    const kiosk = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${kioskToken}` } });
    expect(kiosk.status).toBe(403);

    const ok = await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${viewerToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await ok.text();
    expect(text).toMatch(/^kamdash_node_up\{node="lab"\} 1$/m);
    expect(text).toMatch(/^kamdash_kamailio_info\{node="lab",version="\d+\.\d+\.\d+"\} 1$/m);
    // Prometheus's own parser and linter (names, HELP, counter suffixes) find nothing to complain about
    expect(await promtoolCheckMetrics(text)).toEqual({ code: 0, output: "" });
  });

  it("serves the same families without auth on the open listener (KAMDASH_METRICS_PORT), on 127.0.0.1", async () => {
    const open = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(open.status).toBe(200);
    const families = (text: string) => text.split("\n").filter((line) => line.startsWith("# TYPE "));
    const authed = await (
      await fetch(`${base()}/metrics`, { headers: { authorization: `Bearer ${viewerToken}` } })
    ).text();
    expect(families(await open.text())).toEqual(families(authed));
  });

  it("is scraped by a real Prometheus: targets up with a token, down (401) without one, and the lab's series queryable", async () => {
    const running = prometheus;
    if (!running) throw new Error("Prometheus is not running");
    const targets = await waitFor(
      async () => {
        const all = await running.targets();
        const health = (job: string) => all.find((t) => t.labels.job === job)?.health;
        return health("kamdash") === "up" &&
          health("kamdash-open") === "up" &&
          health("kamdash-no-token") === "down"
          ? all
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: "Prometheus targets: kamdash up, no-token down" },
    );
    const noToken = targets.find((t) => t.labels.job === "kamdash-no-token");
    expect(noToken?.lastError).toContain("401");

    for (const job of ["kamdash", "kamdash-open"]) {
      const up = await running.query(`kamdash_node_up{node="lab",job="${job}"}`);
      expect(
        up.map((s) => s.value[1]),
        job,
      ).toEqual(["1"]);
      const ws = await waitFor(
        async () => {
          const result = await running.query(`kamdash_ws_connections{node="lab",job="${job}"}`);
          return result.length > 0 ? result : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 500, description: `kamdash_ws_connections{job="${job}"}` },
      );
      expect(ws.map((s) => s.metric.transport).sort(), job).toEqual(["ws", "wss"]);
      for (const sample of ws) expect(Number(sample.value[1])).toBeGreaterThanOrEqual(0);
    }
    // the scrape itself: Prometheus's `up` for the token job
    expect((await running.query('up{job="kamdash"}')).map((s) => s.value[1])).toEqual(["1"]);
  });

  it("stores the handshake-latency histogram: histogram_quantile over its buckets gives the lab's p95 in seconds", async () => {
    const running = prometheus;
    if (!running) throw new Error("Prometheus is not running");
    const bucket = 'kamdash_ws_handshake_duration_seconds_bucket{node="lab",job="kamdash"}';
    const p95 = await waitFor(
      async () => {
        const result = await running.query(`histogram_quantile(0.95, sum by (le) (rate(${bucket}[30s])))`);
        const value = Number(result[0]?.value[1]);
        return result.length === 1 && Number.isFinite(value) ? value : undefined;
      },
      {
        timeoutMs: 45_000,
        intervalMs: 1000,
        description: "a finite histogram_quantile over the handshake buckets",
      },
    );
    // a real duration inside the buckets' range (the probe times out at 5 s), not 0 and not +Inf
    expect(p95).toBeGreaterThan(0);
    expect(p95).toBeLessThanOrEqual(5);
    const buckets = await running.query(bucket);
    expect(buckets.map((s) => s.metric.le)).toContain("0.5");
    expect(buckets.map((s) => s.metric.le)).toContain("+Inf");
    const count = await running.query(
      `kamdash_ws_handshake_duration_seconds_count{node="lab",job="kamdash"}`,
    );
    expect(Number(count[0]?.value[1])).toBeGreaterThanOrEqual(2);
  });
});
