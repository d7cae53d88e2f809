import { createSocket } from "node:dgram";

/**
 * Plays RTP at 50 packets/s (20 ms PCMU frames, 160-byte payload of silence) from a loopback socket to RTPEngine's
 * port for one leg of a call (the leg's "local port" in NG `query`), as that party's phone would. Returns stop().
 */
export function playRtp(port: number, ssrc: number): () => void {
  const socket = createSocket("udp4");
  let seq = 0;
  const timer = setInterval(() => {
    const packet = Buffer.alloc(12 + 160, 0xff);
    packet[0] = 0x80; // RTP version 2, no padding/extension/CSRC
    packet[1] = 0; // payload type 0 (PCMU), no marker
    packet.writeUInt16BE(seq & 0xffff, 2);
    packet.writeUInt32BE((seq * 160) >>> 0, 4);
    packet.writeUInt32BE(ssrc >>> 0, 8);
    seq += 1;
    socket.send(packet, port, "127.0.0.1");
  }, 20);
  return () => {
    clearInterval(timer);
    socket.close();
  };
}
