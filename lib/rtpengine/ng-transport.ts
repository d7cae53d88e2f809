import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { isIP } from "node:net";
import { type BencodeValue, bencodeDecode, bencodeEncode } from "./bencode";
import { RtpengineError } from "./errors";

export interface NgTransportOptions {
  /** NG control socket as "host:port" (IPv6 as "[::1]:22222"). */
  address: string;
  /** Per command. Default 2000 ms. */
  timeoutMs?: number;
}

export type NgDictionary = { [key: string]: BencodeValue };

export interface NgTransport {
  readonly target: string;
  /** Sends `{command, ...args}` and resolves with the reply dictionary (any `result`, including "error"). */
  send(command: string, args?: NgDictionary): Promise<NgDictionary>;
  close(): Promise<void>;
}

interface Pending {
  command: string;
  resolve: (reply: NgDictionary) => void;
  reject: (error: RtpengineError) => void;
  timer: NodeJS.Timeout;
}

export function parseNgAddress(address: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(address) ?? /^([^:]+):(\d+)$/.exec(address);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RtpengineError({
      kind: "network",
      command: "(setup)",
      target: address,
      detail: 'NG address must be "host:port"',
    });
  }
  return { host: match[1], port };
}

/** Splits "<cookie> <bencoded dict>" and decodes the dictionary. */
export function decodeNgDatagram(datagram: Buffer): { cookie: string; reply: BencodeValue } {
  const space = datagram.indexOf(0x20);
  if (space <= 0) throw new Error("datagram has no cookie prefix");
  const cookie = datagram.toString("latin1", 0, space);
  return { cookie, reply: bencodeDecode(datagram.subarray(space + 1)) };
}

/** RTPEngine NG: bencoded dictionaries over UDP, each prefixed by a cookie that the reply echoes. */
export function createNgTransport(options: NgTransportOptions): NgTransport {
  const { host, port } = parseNgAddress(options.address);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const target = options.address;
  const pending = new Map<string, Pending>();
  let socket: dgram.Socket | undefined;

  function settleAll(error: RtpengineError | ((p: Pending) => RtpengineError)): void {
    for (const [cookie, entry] of pending) {
      clearTimeout(entry.timer);
      pending.delete(cookie);
      entry.reject(typeof error === "function" ? error(entry) : error);
    }
  }

  function openSocket(): dgram.Socket {
    if (socket) return socket;
    const created = dgram.createSocket(isIP(host) === 6 ? "udp6" : "udp4");
    created.on("message", (datagram) => {
      let decoded: { cookie: string; reply: BencodeValue };
      try {
        decoded = decodeNgDatagram(datagram);
      } catch (error) {
        // A reply we cannot read: fail the one it belongs to if the cookie is readable, else ignore it.
        const cookie = datagram.toString("latin1", 0, Math.max(0, datagram.indexOf(0x20)));
        const entry = pending.get(cookie);
        if (entry) {
          clearTimeout(entry.timer);
          pending.delete(cookie);
          entry.reject(
            new RtpengineError({
              kind: "invalid_reply",
              command: entry.command,
              target,
              detail: `reply is not bencode: ${error instanceof Error ? error.message : String(error)}`,
              cause: error,
            }),
          );
        }
        return;
      }
      const entry = pending.get(decoded.cookie);
      if (!entry) return; // late reply after a timeout, or not ours
      clearTimeout(entry.timer);
      pending.delete(decoded.cookie);
      const { reply } = decoded;
      if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
        entry.reject(
          new RtpengineError({
            kind: "invalid_reply",
            command: entry.command,
            target,
            detail: "reply is not a dictionary",
          }),
        );
        return;
      }
      entry.resolve(reply);
    });
    created.on("error", (error) => {
      settleAll(
        (entry) =>
          new RtpengineError({
            kind: "network",
            command: entry.command,
            target,
            detail: `socket error: ${error.message}`,
            cause: error,
          }),
      );
    });
    created.unref();
    socket = created;
    return created;
  }

  function send(command: string, args: NgDictionary = {}): Promise<NgDictionary> {
    const active = openSocket();
    let cookie = randomBytes(8).toString("hex");
    while (pending.has(cookie)) cookie = randomBytes(8).toString("hex");
    const payload = Buffer.concat([Buffer.from(`${cookie} `), bencodeEncode({ ...args, command })]);
    return new Promise<NgDictionary>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(cookie);
        reject(
          new RtpengineError({
            kind: "timeout",
            command,
            target,
            detail: `no reply within ${timeoutMs} ms`,
          }),
        );
      }, timeoutMs);
      pending.set(cookie, { command, resolve, reject, timer });
      active.send(payload, port, host, (error) => {
        if (!error) return;
        const entry = pending.get(cookie);
        if (!entry) return;
        clearTimeout(entry.timer);
        pending.delete(cookie);
        reject(
          new RtpengineError({
            kind: "network",
            command,
            target,
            detail: `send failed: ${error.message}`,
            cause: error,
          }),
        );
      });
    });
  }

  async function close(): Promise<void> {
    settleAll(
      (entry) =>
        new RtpengineError({ kind: "network", command: entry.command, target, detail: "client closed" }),
    );
    const current = socket;
    socket = undefined;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  }

  return { target, send, close };
}
