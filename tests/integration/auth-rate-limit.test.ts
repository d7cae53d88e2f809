import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { createOperator } from "@/lib/auth/operators";
import { type LoginLimits, LoginThrottle } from "@/lib/auth/rate-limit";
import { installPeerAddressStamp, PEER_ADDRESS_HEADER } from "@/lib/auth/setup-peer";
import { getDb } from "@/lib/db";
import { createTempAppDatabase } from "./app-database";

// Sign-in throttling on the real PostgreSQL: two throttles on separate pools of one database stand for two
// replicas; the login route is driven through a real HTTP server carrying the server's peer stamp.

let database: { drop: () => Promise<void> } | undefined;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  database = await createTempAppDatabase("ratelimit");
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await database?.drop();
});
afterEach(async () => {
  delete process.env.KAMDASH_TRUSTED_PROXIES;
  await (await getDb()).$executeRawUnsafe("DELETE FROM rate_limit");
});

function replica(limits?: LoginLimits): LoginThrottle {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  // dropping the database at the end ends connections still closing
  pool.on("error", () => {});
  pools.push(pool);
  return new LoginThrottle({ kind: "postgres", pool }, limits);
}

const short = (durationS: number): LoginLimits => ({
  address: { prefix: "t-ip", points: 5, durationS },
  usernameAtAddress: { prefix: "t-user-ip", points: 5, durationS },
  username: { prefix: "t-user", points: 30, durationS },
  knownAddressS: 60,
});

describe("login throttle on PostgreSQL", () => {
  it("shares one limit between two replicas", async () => {
    const [a, b] = [replica(), replica()];
    for (let i = 0; i < 3; i += 1)
      expect(await a.attempt("198.51.100.1", "admin")).toEqual({ allowed: true });
    for (let i = 0; i < 2; i += 1)
      expect(await b.attempt("198.51.100.1", "admin")).toEqual({ allowed: true });
    const refused = await a.attempt("198.51.100.1", "admin");
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(290);
    expect((await b.attempt("198.51.100.1", "someone")).allowed).toBe(false);
    // the counters are rows of the migrated table, not a table of the library's own
    const rows = await (await getDb()).$queryRawUnsafe<{ key: string; points: number }[]>(
      "SELECT key, points FROM rate_limit WHERE key = 'login-ip:198.51.100.1'",
    );
    expect(rows).toEqual([{ key: "login-ip:198.51.100.1", points: 7 }]);
  });

  it("ends the lockout when the window ends", async () => {
    const [a, b] = [replica(short(1)), replica(short(1))];
    for (let i = 0; i < 5; i += 1)
      expect((await (i % 2 ? a : b).attempt("192.0.2.50", "eve")).allowed).toBe(true);
    expect((await a.attempt("192.0.2.50", "eve")).allowed).toBe(false);
    expect((await b.attempt("192.0.2.50", "eve")).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await b.attempt("192.0.2.50", "eve")).toEqual({ allowed: true });
  });
});

type Reply = { status: number; retryAfter: string | null };

/** The login route behind a node HTTP server that stamps the peer as kamdash's own server does. */
async function withLoginServer(
  run: (post: (headers: Record<string, string>, password: string) => Promise<Reply>) => Promise<void>,
) {
  installPeerAddressStamp();
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const reply = await login(
      new Request(`http://127.0.0.1${request.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    response.writeHead(reply.status, Object.fromEntries(reply.headers));
    response.end(Buffer.from(await reply.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const post = async (headers: Record<string, string>, password: string): Promise<Reply> => {
    const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username: "grace", password }),
    });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get("retry-after") };
  };
  try {
    await run(post);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("POST /api/auth/login client address", () => {
  const wrong = "not the password!";
  beforeAll(async () => {
    await createOperator({ username: "grace", password: "correct horse battery" });
  });

  it("ignores X-Forwarded-For and a forged peer stamp when no proxy is trusted", async () => {
    await withLoginServer(async (post) => {
      for (let i = 0; i < 5; i += 1) {
        const spoof = { "x-forwarded-for": `203.0.113.${i}`, [PEER_ADDRESS_HEADER]: `198.51.100.${i}` };
        expect((await post(spoof, wrong)).status).toBe(401);
      }
      const refused = await post({ "x-forwarded-for": "203.0.113.99" }, "correct horse battery");
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(290);
    });
  });

  it("counts per forwarded client when the peer is a trusted proxy, and takes only the right-most entry", async () => {
    process.env.KAMDASH_TRUSTED_PROXIES = "127.0.0.1/32, ::1";
    await withLoginServer(async (post) => {
      // the client wrote the left-most entries itself; the proxy appended 198.51.100.7
      for (let i = 0; i < 5; i += 1) {
        expect((await post({ "x-forwarded-for": `10.9.9.${i}, 198.51.100.7` }, wrong)).status).toBe(401);
      }
      expect((await post({ "x-forwarded-for": "10.9.9.200, 198.51.100.7" }, wrong)).status).toBe(429);
      // another client behind the same proxy is not throttled (401, not 429; a 200 would need Next's cookie
      // store, which exists only inside Next's request scope)
      expect((await post({ "x-forwarded-for": "198.51.100.8" }, wrong)).status).toBe(401);
    });
    const keys = await (await getDb()).$queryRawUnsafe<{ key: string }[]>(
      "SELECT key FROM rate_limit WHERE key LIKE 'login-ip:%' ORDER BY key",
    );
    expect(keys.map((row) => row.key)).toEqual(["login-ip:198.51.100.7", "login-ip:198.51.100.8"]);
  });
});
