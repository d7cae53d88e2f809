// One RTPEngine NG command, run inside the test's network namespace (RTPEngine's NG port is not reachable
// from the host namespace):  node --import tsx tests/webrtc/ng-query.ts <host:port> '<command as JSON>'
// Prints the decoded bencoded reply as JSON on stdout.
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";

type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

function encode(value: unknown): Buffer {
  if (typeof value === "number" && Number.isInteger(value)) return Buffer.from(`i${value}e`);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from("l"), ...value.map(encode), Buffer.from("e")]);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Buffer.concat([
      Buffer.from("d"),
      ...entries.flatMap(([key, item]) => [encode(key), encode(item)]),
      Buffer.from("e"),
    ]);
  }
  throw new Error(`cannot bencode ${typeof value}`);
}

function decode(data: Buffer, start: number): [Bencoded, number] {
  const marker = String.fromCharCode(data[start] ?? 0);
  if (marker === "i") {
    const end = data.indexOf("e", start);
    return [Number(data.subarray(start + 1, end).toString()), end + 1];
  }
  if (marker === "l") {
    const list: Bencoded[] = [];
    let at = start + 1;
    while (data[at] !== 0x65) {
      const [item, next] = decode(data, at);
      list.push(item);
      at = next;
    }
    return [list, at + 1];
  }
  if (marker === "d") {
    const dict: Record<string, Bencoded> = {};
    let at = start + 1;
    while (data[at] !== 0x65) {
      const [key, afterKey] = decode(data, at);
      const [item, next] = decode(data, afterKey);
      dict[String(key)] = item;
      at = next;
    }
    return [dict, at + 1];
  }
  if (/[0-9]/.test(marker)) {
    const colon = data.indexOf(":", start);
    const length = Number(data.subarray(start, colon).toString());
    return [data.subarray(colon + 1, colon + 1 + length).toString("utf8"), colon + 1 + length];
  }
  throw new Error(`bad bencode at byte ${start}`);
}

function query(host: string, port: number, command: unknown, timeoutMs: number): Promise<Bencoded> {
  const cookie = randomBytes(8).toString("hex");
  const socket = createSocket("udp4");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no NG reply from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("message", (message) => {
      const space = message.indexOf(" ");
      if (message.subarray(0, space).toString() !== cookie) return;
      clearTimeout(timer);
      socket.close();
      try {
        resolve(decode(message, space + 1)[0]);
      } catch (error) {
        reject(error);
      }
    });
    socket.send(Buffer.concat([Buffer.from(`${cookie} `), encode(command)]), port, host);
  });
}

const [address, commandJson] = process.argv.slice(2);
const match = /^([\d.]+):(\d+)$/.exec(address ?? "");
if (!match?.[1] || !match[2] || !commandJson) {
  console.error("usage: ng-query.ts <host:port> '<command JSON>'");
  process.exit(2);
}
query(match[1], Number(match[2]), JSON.parse(commandJson), 3_000).then(
  (reply) => console.log(JSON.stringify(reply)),
  (error: unknown) => {
    console.error(String(error));
    process.exit(1);
  },
);
