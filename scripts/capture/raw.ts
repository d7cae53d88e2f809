// Raw access for fixture capture: reply bodies and datagrams are saved byte for byte, never re-serialized.
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeRpcReply, type RpcParam } from "@/lib/kamailio/transport";
import { type BencodeValue, bencodeEncode } from "@/lib/rtpengine/bencode";
import { decodeNgDatagram } from "@/lib/rtpengine/ng-transport";

export interface RawRpcReply {
  body: string;
  status: number;
  ms: number;
  bytes: number;
}

let rpcId = 1;

/** POSTs one JSON-RPC request and returns the body as received; throws unless it is a success reply. */
export async function rawRpc(
  url: string,
  method: string,
  params: readonly RpcParam[] = [],
): Promise<RawRpcReply> {
  const id = rpcId++;
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method, params, id }),
  });
  const body = await response.text();
  const ms = performance.now() - started;
  decodeRpcReply(body, { method, nodeUrl: url, status: response.status, expectedId: id });
  return { body, status: response.status, ms, bytes: Buffer.byteLength(body) };
}

/** Sends one NG command and returns the reply's bencoded bytes (cookie removed) and its decoded form. */
export async function rawNg(
  address: string,
  command: string,
  args: Record<string, BencodeValue> = {},
): Promise<{ bytes: Buffer; reply: BencodeValue }> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    Number(address.slice(address.lastIndexOf(":") + 1)),
  ];
  const socket = dgram.createSocket("udp4");
  const cookie = randomBytes(6).toString("hex");
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`NG ${command}: no reply`)), 3_000);
      socket.on("message", (datagram) => {
        const space = datagram.indexOf(0x20);
        if (datagram.toString("latin1", 0, space) !== cookie) return;
        clearTimeout(timer);
        resolve({ bytes: datagram.subarray(space + 1), reply: decodeNgDatagram(datagram).reply });
      });
      socket.send(
        Buffer.concat([Buffer.from(`${cookie} `), bencodeEncode({ ...args, command })]),
        port,
        host,
      );
    });
  } finally {
    socket.close();
  }
}

export class FixtureWriter {
  readonly written: string[] = [];

  constructor(private readonly root: string) {}

  async save(folder: string, name: string, content: string | Buffer): Promise<void> {
    const dir = path.join(this.root, folder);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeFile(file, content);
    this.written.push(path.relative(process.cwd(), file));
  }
}
