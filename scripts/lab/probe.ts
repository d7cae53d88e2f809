import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { z } from "zod";
import { runCommand } from "./process";

/** RTPEngine NG `ping` (bencode over UDP with a cookie prefix); true on `pong`. */
export function ngPing(hostPort: string, timeoutMs = 1000): Promise<boolean> {
  const [host, portText] = hostPort.split(":");
  const port = Number(portText);
  const cookie = randomBytes(6).toString("hex");
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("error", () => done(false));
    socket.on("message", (message) => {
      const text = message.toString("latin1");
      if (text.startsWith(`${cookie} `)) done(text.includes("6:result4:pong"));
    });
    socket.send(Buffer.from(`${cookie} d7:command4:pinge`, "latin1"), port, host);
  });
}

export async function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

const rpcReplySchema = z.object({
  jsonrpc: z.literal("2.0"),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
});

/** One JSON-RPC call to Kamailio; the result, or an error thrown. */
export async function rpcCall(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs = 2000,
): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method, params, id: 1 }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const reply = rpcReplySchema.parse(await response.json());
  if (reply.error !== undefined) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

export async function kamailioAnswers(rpcUrl: string): Promise<boolean> {
  try {
    return typeof (await rpcCall(rpcUrl, "core.version")) === "string";
  } catch {
    return false;
  }
}

export interface Probes {
  rtpengine(ng: string, httpBase: string): Promise<boolean>;
  kamailio(rpcUrl: string): Promise<boolean>;
}

const localProbes: Probes = {
  async rtpengine(ng, httpBase) {
    return (await ngPing(ng)) && (await httpOk(`${httpBase}/ping`));
  },
  kamailio: kamailioAnswers,
};

// The same checks as plain JavaScript for `node -e` inside a namespace (tsx would add ~1 s per probe).
const namespaceProbeScript = `
const [kind, a, b] = process.argv.slice(1);
const dgram = require("node:dgram");
const ping = (hostPort) => new Promise((resolve) => {
  const [host, port] = hostPort.split(":");
  const cookie = Math.random().toString(36).slice(2);
  const socket = dgram.createSocket("udp4");
  const done = (ok) => { clearTimeout(timer); socket.close(); resolve(ok); };
  const timer = setTimeout(() => done(false), 1000);
  socket.on("error", () => done(false));
  socket.on("message", (m) => { const t = m.toString("latin1"); if (t.startsWith(cookie + " ")) done(t.includes("6:result4:pong")); });
  socket.send(cookie + " d7:command4:pinge", Number(port), host);
});
const ok = async (url) => { try { const r = await fetch(url, { signal: AbortSignal.timeout(1000) }); return r.ok; } catch { return false; } };
const rpc = async (url) => { try {
  const r = await fetch(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", method: "core.version", id: 1 }), signal: AbortSignal.timeout(2000) });
  return typeof (await r.json()).result === "string"; } catch { return false; } };
(kind === "rtpengine" ? ping(a).then((p) => p && ok(b + "/ping")) : rpc(a)).then((r) => console.log(r ? "ok" : "fail"));
`;

/** Probes run in this process, or inside the network namespace with `ip netns exec <name> node -e`. */
export function probesFor(netns: string | undefined): Probes {
  if (!netns) return localProbes;
  const run = async (args: string[]): Promise<boolean> => {
    try {
      const { stdout } = await runCommand(
        "ip",
        ["netns", "exec", netns, process.execPath, "-e", namespaceProbeScript, ...args],
        10_000,
      );
      return stdout.trim() === "ok";
    } catch {
      return false;
    }
  };
  return {
    rtpengine: (ng, httpBase) => run(["rtpengine", ng, httpBase]),
    kamailio: (rpcUrl) => run(["kamailio", rpcUrl]),
  };
}
