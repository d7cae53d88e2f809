// npx tsx scripts/capture/measure-ul-dump.ts [--clients N] [--rounds R]
// Registers N WebSocket clients on the running lab, then times `ul.dump` vs `ul.dump brief` (raw HTTP round trip,
// and through lib/kamailio including validation). Prints medians; asserts nothing. Removes its clients at the end.
// WS only: many parallel WSS handshakes crashed the lab's Kamailio 5.6.3 (TLS double free, gateway-bugs.md #4).
import { parseArgs } from "node:util";
import { createKamailioClient } from "@/lib/kamailio/client";
import { readLabConfig } from "../lab/lab";
import { rawRpc } from "./raw";
import { SipWsClient } from "./sip-ws-client";

const { values } = parseArgs({
  options: { clients: { type: "string", default: "300" }, rounds: { type: "string", default: "30" } },
});
const count = Number(values.clients);
const rounds = Number(values.rounds);
const lab = await readLabConfig();
const client = createKamailioClient({ url: lab.rpc, maxReplyBytes: 64 * 1024 * 1024 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const clients: SipWsClient[] = [];
try {
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) => {
        const user = lab.users[(i + j) % lab.users.length];
        if (!user) throw new Error("no lab users");
        return SipWsClient.connect({
          url: lab.sip.ws,
          origin: lab.origins[0] ?? "",
          domain: lab.domain,
          ...user,
          userAgent: "kamdash-measure/1.0 (Mozilla/5.0 X11; Linux x86_64; a long browser-like User-Agent)",
        });
      }),
    );
    clients.push(...batch);
    const statuses = await Promise.all(batch.map((c) => c.register(300)));
    if (statuses.some((s) => s !== 200)) throw new Error(`REGISTER failed: ${statuses.join(",")}`);
  }
  const rows: [string, number, number][] = [];
  for (const [label, params] of [
    ["ul.dump", []],
    ["ul.dump brief", ["brief"]],
  ] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds; r++) {
      const reply = await rawRpc(lab.rpc, "ul.dump", [...params]);
      times.push(reply.ms);
      bytes = reply.bytes;
    }
    rows.push([`${label} (raw HTTP)`, median(times), bytes]);
    const parsed: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      await (params.length === 0 ? client.ulDump() : client.ulDumpBrief());
      parsed.push(performance.now() - started);
    }
    rows.push([`${label} (client + zod)`, median(parsed), bytes]);
  }
  const contacts = (await client.ulDump()).reduce(
    (n, d) => n + d.aors.reduce((m, a) => m + a.contacts.length, 0),
    0,
  );
  console.log(
    `${clients.length} clients registered by this script; ${contacts} contacts in usrloc; ${rounds} rounds`,
  );
  for (const [label, ms, bytes] of rows) {
    console.log(
      `${label.padEnd(28)} median ${ms.toFixed(2).padStart(7)} ms  ${String(bytes).padStart(9)} bytes`,
    );
  }
} finally {
  await Promise.all(clients.map((c) => c.close()));
}
