import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { BranchWindows } from "@/lib/poller/branch-windows";
import { buildDownNodeSnapshot, buildUpNodeSnapshot, type NodeSnapshot } from "@/lib/poller/snapshot";

// Real local receivers for alert deliveries (an HTTP webhook endpoint and an SMTP server, both on 127.0.0.1), and
// snapshots built with lib/poller/snapshot's builders on a simulated clock.

export type ReceivedWebhook = { body: string; signature: string | null; status: number };

export type WebhookReceiver = {
  url: string;
  received: ReceivedWebhook[];
  /** The next `count` requests are answered 503. */
  failNext: (count: number) => void;
  close: () => Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const status = failures > 0 ? 503 : 204;
      if (failures > 0) failures -= 1;
      const header = request.headers["x-kamdash-signature"];
      received.push({ body, signature: typeof header === "string" ? header : null, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type SmtpReceiver = { url: string; mails: string[]; close: () => Promise<void> };

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * One node fed with bridge counters every `stepMs` on a simulated clock: `failedPerStep` of `relayedPerStep`
 * branches fail, so the 5-minute branch-failure rate (BranchWindows, as the poller computes it) follows.
 */
export function simulatedNode(name: string, startMs: number, stepMs = 2000) {
  const windows = new BranchWindows();
  let atMs = startMs;
  let relayed = 0;
  let failed = 0;
  const identity = { name, rpcUrl: `http://${name}.test/RPC`, intervalMs: stepMs };
  return {
    get atMs() {
      return atMs;
    },
    /** The next cycle's snapshot (up, with the branch counters advanced; or down). */
    next(options: { relayedPerStep?: number; failedPerStep?: number; down?: boolean } = {}): NodeSnapshot {
      atMs += stepMs;
      const timing = { polledAt: new Date(atMs), durationMs: 5 };
      if (options.down) {
        windows.add(atMs, false, null);
        return buildDownNodeSnapshot(identity, timing, "connect ECONNREFUSED", undefined);
      }
      relayed += options.relayedPerStep ?? 10;
      failed += options.failedPerStep ?? 0;
      const branches = [{ direction: "wss_udp", relayed, failed }];
      windows.add(atMs, false, branches);
      return buildUpNodeSnapshot(identity, timing, {
        ws: 1,
        wss: 1,
        registrations: 1,
        aors: 1,
        dialogsActive: 0,
        dialogsEarly: 0,
        rtpengineUp: 1,
        rtpengineTotal: 1,
        rtpengines: [],
        branches,
        branchFailure: windows.failure(atMs),
        stats: {},
      });
    },
  };
}
