import { parse } from "sdp-transform";

// The codec of a call, from the dialog variables the shipped gateway sets on each SDP reply to an INVITE
// (gateway/routes-media.cfg): answer_pt (first payload type of the answering side's audio m= line) and
// answer_rtpmap (that type's "a=rtpmap:" line, absent for static types the SDP does not map).

/** Static audio payload types (RFC 3551 table 4) that need no rtpmap. */
const STATIC: Record<number, string> = {
  0: "PCMU/8000",
  3: "GSM/8000",
  4: "G723/8000",
  8: "PCMA/8000",
  9: "G722/8000",
  18: "G729/8000",
};

export type CallCodec = { payloadType: number; name: string };

/** "PCMU/8000", "opus/48000/2"; null when the gateway did not record the answer (another config, no SDP yet). */
export function answerCodec(variables: Readonly<Record<string, string>>): CallCodec | null {
  const pt = Number.parseInt(variables.answer_pt ?? "", 10);
  if (!Number.isInteger(pt) || pt < 0 || pt > 127) return null;
  const line = variables.answer_rtpmap?.trim();
  if (line) {
    const media = parse(`m=audio 9 RTP/AVP ${pt}\r\n${line}\r\n`).media[0];
    const rtp = media?.rtp.find((r) => r.payload === pt);
    if (rtp) return { payloadType: pt, name: [rtp.codec, rtp.rate, rtp.encoding].filter(Boolean).join("/") };
  }
  const name = STATIC[pt];
  return { payloadType: pt, name: name ?? `payload type ${pt}` };
}
