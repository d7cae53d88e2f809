// Tests OUR NG client against a real local UDP socket that answers like RTPEngine's NG port.
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BencodeValue, bencodeDecode, bencodeEncode } from "./bencode";
import { RtpengineError } from "./errors";
import { createRtpengineNgClient } from "./ng-client";

let server: dgram.Socket;
let address: string;
const received: { cookie: string; message: Record<string, BencodeValue> }[] = [];

beforeAll(async () => {
  server = dgram.createSocket("udp4");
  server.on("message", (datagram, peer) => {
    const space = datagram.indexOf(0x20);
    const cookie = datagram.toString("latin1", 0, space);
    const message = bencodeDecode(datagram.subarray(space + 1)) as Record<string, BencodeValue>;
    received.push({ cookie, message });
    const reply = (value: BencodeValue | Buffer, delayMs = 0) => {
      const body = Buffer.isBuffer(value) ? value : bencodeEncode(value);
      setTimeout(
        () => server.send(Buffer.concat([Buffer.from(`${cookie} `), body]), peer.port, peer.address),
        delayMs,
      );
    };
    switch (message.command) {
      case "ping":
        return reply({ result: "pong" });
      case "list":
        // Answer the first list late so the second one's reply arrives first.
        return reply({ result: "ok", calls: [String(message.limit)] }, message.limit === "1" ? 100 : 0);
      case "query":
        if (message["call-id"] === "missing")
          return reply({ result: "error", "error-reason": "Unknown call-id" });
        if (message["call-id"] === "garbage") return reply(Buffer.from("d6:result"));
        if (message["call-id"] === "wrong-type") return reply({ result: "ok", created: "soon", tags: {} });
        return reply({
          result: "ok",
          created: 1795691718,
          "last signal": 1795691720,
          tags: {
            ft1: {
              tag: "ft1",
              medias: [
                {
                  index: 1,
                  type: "audio",
                  streams: [
                    {
                      "local port": 30018,
                      flags: ["RTP", "filled"],
                      stats: { packets: 250, bytes: 43000, errors: 0 },
                    },
                    { "local port": 30019, flags: ["RTCP"], stats: { packets: 5, bytes: 400, errors: 0 } },
                  ],
                },
              ],
            },
          },
          totals: {
            RTP: { packets: 250, bytes: 43000, errors: 0 },
            RTCP: { packets: 5, bytes: 400, errors: 0 },
          },
        });
      case "silent":
        return; // never answers
      default:
        return reply({ result: "error", "error-reason": "Unrecognized command" });
    }
  });
  await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
  address = `127.0.0.1:${server.address().port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<RtpengineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RtpengineError);
    return error as RtpengineError;
  }
  throw new Error("expected the call to fail");
}

describe("RTPEngine NG client", () => {
  it("pings with a cookie-prefixed bencoded command", async () => {
    const client = createRtpengineNgClient({ address });
    await client.ping();
    const last = received.at(-1);
    expect(last?.message).toEqual({ command: "ping" });
    expect(last?.cookie).toMatch(/^[0-9a-f]{16}$/);
    await client.close();
  });

  it("matches replies to requests by cookie, not by arrival order", async () => {
    const client = createRtpengineNgClient({ address });
    const [slow, fast] = await Promise.all([client.list(1), client.list(2)]);
    expect(slow).toEqual(["1"]);
    expect(fast).toEqual(["2"]);
    await client.close();
  });

  it("returns per-stream packet counters from query", async () => {
    const client = createRtpengineNgClient({ address });
    const call = await client.query("c1", { fromTag: "ft1" });
    expect(received.at(-1)?.message).toEqual({ command: "query", "call-id": "c1", "from-tag": "ft1" });
    expect(call.streams).toEqual([
      {
        tag: "ft1",
        mediaIndex: 1,
        mediaType: "audio",
        kind: "RTP",
        rtcpMuxed: false,
        localPort: 30018,
        packets: 250,
        bytes: 43000,
        errors: 0,
      },
      {
        tag: "ft1",
        mediaIndex: 1,
        mediaType: "audio",
        kind: "RTCP",
        rtcpMuxed: false,
        localPort: 30019,
        packets: 5,
        bytes: 400,
        errors: 0,
      },
    ]);
    expect(call.totals.rtp.packets).toBe(250);
    expect(call.lastSignal).toBe(1795691720);
    await client.close();
  });

  it("turns result=error into an ng_error with RTPEngine's reason", async () => {
    const client = createRtpengineNgClient({ address });
    const error = await failure(client.query("missing"));
    expect(error.kind).toBe("ng_error");
    expect(error.message).toBe(`rtpengine query on ${address}: RTPEngine answered error: Unknown call-id`);
    await client.close();
  });

  it("rejects a reply that is not bencode, and one with wrong field types", async () => {
    const client = createRtpengineNgClient({ address });
    const garbage = await failure(client.query("garbage"));
    expect(garbage.kind).toBe("invalid_reply");
    const wrongType = await failure(client.query("wrong-type"));
    expect(wrongType.kind).toBe("invalid_reply");
    expect(wrongType.fieldPath).toBe("created");
    await client.close();
  });

  it("times out when nothing answers", async () => {
    const client = createRtpengineNgClient({ address, timeoutMs: 100 });
    const error = await failure(client.command("silent"));
    expect(error.kind).toBe("timeout");
    expect(error.detail).toBe("no reply within 100 ms");
    await client.close();
  });

  it("fails pending commands when closed", async () => {
    const client = createRtpengineNgClient({ address, timeoutMs: 5_000 });
    const pending = failure(client.command("silent"));
    await client.close();
    expect((await pending).detail).toBe("client closed");
  });

  it("rejects a malformed address", () => {
    expect(() => createRtpengineNgClient({ address: "localhost" })).toThrow(/host:port/);
  });
});
