// Two RTPEngine NG `query` readings of one call, `windowMs` apart, run inside the test's network namespace
// (RTPEngine's NG port is not reachable from the host namespace) with lib's NG client:
//   node --import tsx tests/webrtc/ng-query.ts <host:port> <call-id> <window ms>
// Prints {"readings":[{"atMs":…,"reply":{…}},…]} on stdout: `reply` is RTPEngine's reply dictionary as decoded,
// validated by the caller (rtpengine-query.ts); `atMs` is performance.now() halfway between sending the command
// and receiving its reply, so two readings give the time between RTPEngine's two counter snapshots.
import { setTimeout as sleep } from "node:timers/promises";
import { createRtpengineNgClient } from "../../lib/rtpengine/ng-client";
import type { NgDictionary } from "../../lib/rtpengine/ng-transport";

const [address, callId, windowText] = process.argv.slice(2);
const windowMs = Number(windowText);
if (!address || !callId || !Number.isInteger(windowMs) || windowMs < 0) {
  console.error("usage: ng-query.ts <host:port> <call-id> <window ms>");
  process.exit(2);
}

const client = createRtpengineNgClient({ address, timeoutMs: 3_000 });

async function reading(callId: string): Promise<{ atMs: number; reply: NgDictionary }> {
  const sentAt = performance.now();
  const reply = await client.command("query", { "call-id": callId });
  return { atMs: (sentAt + performance.now()) / 2, reply };
}

async function main(callId: string): Promise<void> {
  try {
    const first = await reading(callId);
    await sleep(windowMs);
    const second = await reading(callId);
    console.log(JSON.stringify({ readings: [first, second] }));
  } finally {
    await client.close();
  }
}

main(callId).catch((error: unknown) => {
  console.error(String(error));
  process.exit(1);
});
