import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { log } from "@/lib/log";
import { type MetricsText, renderMetrics } from "./export";

// The optional open listener: the same /metrics text on a separate plain-HTTP port, without authentication, for a
// Prometheus that cannot send a bearer token. Off unless KAMDASH_METRICS_PORT is set; it binds 127.0.0.1 unless
// KAMDASH_METRICS_HOST says otherwise (anyone who can reach that address reads the metrics).

type EnvRecord = Readonly<Record<string, string | undefined>>;

export const DEFAULT_METRICS_HOST = "127.0.0.1";

const listenerEnvSchema = z.object({
  KAMDASH_METRICS_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, "KAMDASH_METRICS_PORT must be a TCP port number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(65_535, "KAMDASH_METRICS_PORT must be at most 65535"))
    .optional(),
  KAMDASH_METRICS_HOST: z
    .string()
    .trim()
    .regex(/^[^\s/]+$/, "KAMDASH_METRICS_HOST must be an address or host name")
    .default(DEFAULT_METRICS_HOST),
});

export type MetricsListenerConfig = { host: string; port: number };

/** KAMDASH_METRICS_PORT (1-65535; unset or empty = no listener) and KAMDASH_METRICS_HOST; bad values throw. */
export function readMetricsListenerConfig(env: EnvRecord = process.env): MetricsListenerConfig | null {
  const blankToUndefined = (value: string | undefined) => (value?.trim() === "" ? undefined : value);
  const parsed = listenerEnvSchema.safeParse({
    KAMDASH_METRICS_PORT: blankToUndefined(env.KAMDASH_METRICS_PORT),
    KAMDASH_METRICS_HOST: blankToUndefined(env.KAMDASH_METRICS_HOST),
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const { KAMDASH_METRICS_PORT: port, KAMDASH_METRICS_HOST: host } = parsed.data;
  return port === undefined ? null : { host, port };
}

/** A server answering GET/HEAD /metrics with `render()`'s text; 404 elsewhere, 405 for other methods. */
export function createMetricsServer(render: () => Promise<MetricsText> = () => renderMetrics()): Server {
  return createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    // the same fixed security headers as the app's static files (nothing here renders a page)
    const security = Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]));
    const plain = { ...security, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
    if (path !== "/metrics") {
      response.writeHead(404, plain).end("Not found: metrics are at /metrics\n");
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...plain, allow: "GET, HEAD" }).end("Method not allowed\n");
      return;
    }
    render().then(
      ({ text, contentType }) => {
        response.writeHead(200, { ...security, "content-type": contentType, "cache-control": "no-store" });
        response.end(request.method === "HEAD" ? undefined : text);
      },
      (error: unknown) => {
        log.error({ err: error }, "rendering /metrics failed");
        response.writeHead(500, plain).end("Internal error\n");
      },
    );
  });
}

/** Listens on host:port; resolves with the bound address, rejects with a message naming the address. */
export function listenMetricsServer(
  server: Server,
  config: MetricsListenerConfig,
): Promise<MetricsListenerConfig> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) =>
      reject(new Error(`metrics listener cannot listen on ${config.host}:${config.port}: ${error.message}`));
    server.once("error", onError);
    server.listen(config.port, config.host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}

// One listener per process (globalThis: Next may evaluate this module more than once).
const listenerKey = Symbol.for("kamdash.prometheus.listener");
type ListenerGlobal = typeof globalThis & { [listenerKey]?: Promise<MetricsListenerConfig | null> };

/**
 * Start-up hook: starts the open listener once per process when KAMDASH_METRICS_PORT is set; resolves with where
 * it listens, or null when it is off. The server does not keep the process alive on its own (unref).
 */
export function startMetricsListener(env: EnvRecord = process.env): Promise<MetricsListenerConfig | null> {
  const holder = globalThis as ListenerGlobal;
  holder[listenerKey] ??= (async () => {
    const config = readMetricsListenerConfig(env);
    if (!config) return null;
    const server = createMetricsServer();
    const bound = await listenMetricsServer(server, config);
    server.unref();
    const host = bound.host.includes(":") ? `[${bound.host}]` : bound.host;
    log.info(`metrics: Prometheus metrics without auth on http://${host}:${bound.port}/metrics`);
    return bound;
  })();
  return holder[listenerKey];
}
