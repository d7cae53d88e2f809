import { z } from "zod";

// A signed-in HTTP client for a running dashboard (Node's fetch, no browser): POST /api/auth/login once, then GETs
// carrying the session cookies, timed to the response headers and to the last byte of the body.

export type Timed = {
  status: number;
  /** ms from sending the request to the response headers (Next streams the page after them). */
  headersMs: number;
  /** ms from sending the request to the last byte of the body (the full HTML or JSON). */
  totalMs: number;
  bytes: number;
  body: string;
};

export type DashboardClient = {
  get: (path: string) => Promise<Timed>;
  /** GET, failing on a non-2xx status, parsed with `schema`. */
  getJson: <T>(path: string, schema: z.ZodType<T>) => Promise<T>;
  /** The session cookies as name/value pairs (for a browser context). */
  cookies: { name: string; value: string }[];
};

const loginReply = z.object({ operator: z.unknown(), csrfToken: z.string() });

export async function signIn(baseUrl: string, username: string, password: string): Promise<DashboardClient> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok)
    throw new Error(`sign-in as ${username}: HTTP ${response.status} ${await response.text()}`);
  loginReply.parse(await response.json());
  const cookies = response.headers.getSetCookie().flatMap((line) => {
    const [pair] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    return pair && eq > 0 ? [{ name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() }] : [];
  });
  if (cookies.length === 0) throw new Error("sign-in set no cookies");
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");

  const get = async (path: string): Promise<Timed> => {
    const started = performance.now();
    const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: cookieHeader }, redirect: "manual" });
    const headersMs = performance.now() - started;
    const body = await res.text();
    const totalMs = performance.now() - started;
    return { status: res.status, headersMs, totalMs, bytes: Buffer.byteLength(body), body };
  };
  const getJson = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const reply = await get(path);
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`GET ${path}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    }
    return schema.parse(JSON.parse(reply.body));
  };
  return { get, getJson, cookies };
}
