import { SipWsUa } from "../../tests/support/sip-ws-ua";
import type { LabConfig, LabUser } from "../lab/config";
import { benchSourceAddress } from "./source-addresses";

// The carrier-scale client generator: many SIP-over-WebSocket clients (RFC 7118; tests/support/sip-ws-ua.ts, the
// same browser-like REGISTER with digest as the gateway suite) from one Node process, at most `concurrency` of them
// connecting or registering at any moment (a pool of workers, not batches: one slow handshake does not hold up the
// other workers). Client i binds its socket to its own loopback address (127.1.x.y, 250 per /24, see
// source-addresses.ts), so 10,000 clients use 10,000 source addresses and no ephemeral port range runs out, and the
// gateway lists them as many far ends. A failure is counted by its reason and the run goes on, so a limit shows as
// "N opened, M failed from client K on, reason R" instead of one exception.

export type GeneratorOptions = {
  count: number;
  /** Clients 0 … count×wssShare−1 use WSS (8443), the rest WS (8080); 0 = WS only, 1 = WSS only. */
  wssShare: number;
  register: boolean;
  /** Subscribers to register as; client i registers as users[i % users.length]. */
  users: readonly LabUser[];
  /** At most this many handshakes + REGISTERs in flight (default 100). */
  concurrency?: number;
  /** Registration lifetime asked for, seconds (the gateway's max_expires is 3600). */
  expires?: number;
  /** Stop opening after this many failures (default 100): a hard limit shows by then. */
  maxFailures?: number;
  log: (line: string) => void;
};

export type GeneratedClients = {
  clients: SipWsUa[];
  ws: number;
  wss: number;
  registered: number;
  /** failures by reason (the error message with numbers and ids blanked), with the first failing client index */
  failures: Map<string, { count: number; firstIndex: number }>;
  /** ms from the first connect to the last REGISTER's 200 */
  elapsedMs: number;
  close: () => Promise<void>;
};

/** Runs `task(i)` for i in [0, count) with at most `limit` running at once; stops taking new ones when told. */
export async function runPool(
  count: number,
  limit: number,
  task: (index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .replace(/\([^)]*\)/g, "(…)")
    .replace(/\d+/g, "N")
    .slice(0, 160);

/** Opens (and registers) `options.count` clients against the lab; see the file comment. */
export async function generateClients(lab: LabConfig, options: GeneratorOptions): Promise<GeneratedClients> {
  const origin = lab.origins[0];
  if (!origin) throw new Error("lab.json lists no origins");
  if (options.users.length === 0) throw new Error("no users to register as");
  const concurrency = options.concurrency ?? 100;
  const maxFailures = options.maxFailures ?? 100;
  const wssCount = Math.round(options.count * Math.min(1, Math.max(0, options.wssShare)));
  const clients: SipWsUa[] = [];
  const failures = new Map<string, { count: number; firstIndex: number }>();
  let failed = 0;
  let registered = 0;
  let ws = 0;
  let wss = 0;
  const started = performance.now();
  await runPool(
    options.count,
    concurrency,
    async (index) => {
      const user = options.users[index % options.users.length] as LabUser;
      const secure = index < wssCount;
      try {
        const ua = await SipWsUa.connect({
          url: secure ? lab.sip.wss : lab.sip.ws,
          origin,
          domain: lab.domain,
          username: user.username,
          password: user.password,
          contactTransport: secure ? "wss" : "ws",
          socket: { localAddress: benchSourceAddress(index), connectTimeoutMs: 30_000 },
        });
        clients.push(ua);
        if (secure) wss += 1;
        else ws += 1;
        if (options.register) {
          const { final } = await ua.register(options.expires ?? 3600);
          if (final.status !== 200) throw new Error(`REGISTER answered ${final.status} ${final.reason}`);
          registered += 1;
        }
        const done = options.register ? registered : clients.length;
        if (done % 1000 === 0) {
          const s = ((performance.now() - started) / 1000).toFixed(0);
          options.log(`  ${done} clients ${options.register ? "registered" : "open"} (${s} s)`);
        }
      } catch (error) {
        failed += 1;
        const reason = reasonOf(error);
        const entry = failures.get(reason) ?? { count: 0, firstIndex: index };
        entry.count += 1;
        failures.set(reason, entry);
        if (entry.count === 1) options.log(`  client ${index} failed: ${reason}`);
      }
    },
    () => failed >= maxFailures,
  );
  const elapsedMs = performance.now() - started;
  const close = async () => {
    const all = [...clients];
    await runPool(all.length, concurrency, async (i) => {
      const ua = all[i];
      if (!ua) return;
      if (options.register && ua.connection.isOpen) await ua.unregister().catch(() => undefined);
      await ua.close().catch(() => undefined);
    });
  };
  return { clients, ws, wss, registered, failures, elapsedMs, close };
}

/** "10000 WS+WSS registered in 95 s; failures: none" or the failure reasons with counts and first index. */
export function describeGenerated(g: GeneratedClients): string {
  const failures = [...g.failures].map(([r, f]) => `${f.count}× "${r}" (first: client ${f.firstIndex})`);
  return (
    `${g.ws} WS + ${g.wss} WSS open, ${g.registered} registered in ${(g.elapsedMs / 1000).toFixed(1)} s; ` +
    `failures: ${failures.length > 0 ? failures.join("; ") : "none"}`
  );
}
