// The audio SIPp's caller plays. sip-tester's g711a.pcap holds 236 PCMA packets of 240 bytes (30 ms each, about
// 33 packets/s over 7.05 s) while the scenario's SDP says a=ptime:20: played as is, it is a "wrong rate" sender.
// This re-packetizes the same audio into 20 ms frames (160 bytes, 50 packets/s), repeated to `seconds`, and adds
// an RTCP sender report every 2nd frame (25/s, far above RFC 3550's ~1 per 5 s, on purpose) to the port above the
// RTP port: SIPp's play_pcap_audio sends each packet to the remote media port plus (its UDP destination port −
// the lowest destination port in the file), so those reach RTPEngine's RTCP stream for SIPp's leg. Summing that
// stream into the leg's RTP would show as 75 packets/s instead of 50.
import { readFile, writeFile } from "node:fs/promises";

const PCAP_MAGIC_LE = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const HEADERS = 14 + 20 + 8; // Ethernet, IPv4 without options, UDP
export const FRAME_MS = 20;
const BYTES_PER_FRAME = (8_000 * FRAME_MS) / 1_000; // G.711: one byte per sample at 8 kHz

interface PcapPacket {
  atMs: number;
  data: Buffer;
}

export interface PcapRate {
  packets: number;
  seconds: number;
  perSecond: number;
  /** RTP payload bytes of the first packet (G.711: ptime × 8). */
  payloadBytes: number;
}

function readPcap(file: Buffer): PcapPacket[] {
  if (file.readUInt32LE(0) !== PCAP_MAGIC_LE || file.readUInt32LE(20) !== LINKTYPE_ETHERNET)
    throw new Error("expected a little-endian, microsecond, Ethernet pcap");
  const packets: PcapPacket[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const length = file.readUInt32LE(at + 8);
    const atMs = file.readUInt32LE(at) * 1_000 + file.readUInt32LE(at + 4) / 1_000;
    packets.push({ atMs, data: file.subarray(at + 16, at + 16 + length) });
    at += 16 + length;
  }
  return packets;
}

/** RTP packets in an Ethernet/IPv4/UDP pcap and the rate they were captured at. */
export async function pcapRate(file: string): Promise<PcapRate> {
  const packets = readPcap(await readFile(file));
  const first = packets[0];
  const last = packets.at(-1);
  if (!first || !last || packets.length < 2) throw new Error(`${file} holds fewer than 2 packets`);
  const seconds = (last.atMs - first.atMs) / 1_000;
  return {
    packets: packets.length,
    seconds,
    perSecond: (packets.length - 1) / seconds,
    payloadBytes: first.data.length - HEADERS - 12,
  };
}

function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame with the template's addresses, `dstPortOffset` above the template's port. */
function frame(template: Buffer, payload: Buffer, dstPortOffset: number, id: number): Buffer {
  const headers = Buffer.from(template.subarray(0, HEADERS));
  headers.writeUInt16BE(20 + 8 + payload.length, 16); // IPv4 total length
  headers.writeUInt16BE(id & 0xffff, 18);
  headers.writeUInt16BE(0, 24);
  headers.writeUInt16BE(ipv4Checksum(headers.subarray(14, 34)), 24);
  headers.writeUInt16BE(template.readUInt16BE(36) + dstPortOffset, 36);
  headers.writeUInt16BE(8 + payload.length, 38); // UDP length
  headers.writeUInt16BE(0, 40); // UDP checksum: SIPp computes it for the ports it sends from and to
  return Buffer.concat([headers, payload]);
}

function senderReport(ssrc: number, rtpTimestamp: number, atMs: number, sent: number): Buffer {
  const report = Buffer.alloc(28);
  report.writeUInt8(0x80, 0); // V=2, no padding, 0 report blocks
  report.writeUInt8(200, 1); // SR
  report.writeUInt16BE(6, 2); // length in 32-bit words minus one
  report.writeUInt32BE(ssrc, 4);
  report.writeUInt32BE(Math.floor(atMs / 1_000) + 2_208_988_800, 8); // NTP seconds
  report.writeUInt32BE(Math.floor(((atMs % 1_000) / 1_000) * 2 ** 32) >>> 0, 12);
  report.writeUInt32BE(rtpTimestamp >>> 0, 16);
  report.writeUInt32BE(sent, 20);
  report.writeUInt32BE(sent * BYTES_PER_FRAME, 24);
  return report;
}

function writePcap(packets: PcapPacket[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(PCAP_MAGIC_LE, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65_535, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const records = packets.flatMap(({ atMs, data }) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(atMs / 1_000), 0);
    record.writeUInt32LE(Math.round((atMs % 1_000) * 1_000), 4);
    record.writeUInt32LE(data.length, 8);
    record.writeUInt32LE(data.length, 12);
    return [record, data];
  });
  return Buffer.concat([header, ...records]);
}

/** Writes `target`: the source's audio in 20 ms RTP frames for `seconds`, plus RTCP SRs (see the file comment). */
export async function writeG711Pcap20ms(source: string, target: string, seconds: number): Promise<PcapRate> {
  const packets = readPcap(await readFile(source));
  const template = packets[0]?.data;
  if (template?.readUInt16BE(12) !== 0x0800 || template.readUInt8(14) !== 0x45)
    throw new Error(`${source}: expected Ethernet + IPv4 (no options) + UDP + RTP`);
  const rtp = packets.map((packet) => packet.data.subarray(HEADERS));
  const audio = Buffer.concat(rtp.map((header) => header.subarray(12 + 4 * (header.readUInt8(0) & 0x0f))));
  const payloadType = template.readUInt8(HEADERS + 1) & 0x7f;
  const ssrc = template.readUInt32BE(HEADERS + 8);
  const startMs = packets[0]?.atMs ?? 0;
  const out: PcapPacket[] = [];
  const frames = Math.round((seconds * 1_000) / FRAME_MS);
  for (let i = 0; i < frames; i++) {
    const atMs = startMs + i * FRAME_MS;
    const offset = (i * BYTES_PER_FRAME) % (audio.length - (audio.length % BYTES_PER_FRAME));
    const header = Buffer.alloc(12);
    header.writeUInt8(0x80, 0);
    header.writeUInt8(payloadType | (i === 0 ? 0x80 : 0), 1);
    header.writeUInt16BE((i + 1) & 0xffff, 2);
    header.writeUInt32BE((i * BYTES_PER_FRAME) >>> 0, 4);
    header.writeUInt32BE(ssrc, 8);
    const payload = Buffer.concat([header, audio.subarray(offset, offset + BYTES_PER_FRAME)]);
    out.push({ atMs, data: frame(template, payload, 0, 2 * i) });
    if (i % 2 === 1)
      out.push({
        atMs,
        data: frame(template, senderReport(ssrc, i * BYTES_PER_FRAME, atMs, i + 1), 1, 2 * i + 1),
      });
  }
  await writeFile(target, writePcap(out));
  return {
    packets: frames,
    seconds: ((frames - 1) * FRAME_MS) / 1_000,
    perSecond: 1_000 / FRAME_MS,
    payloadBytes: BYTES_PER_FRAME,
  };
}
