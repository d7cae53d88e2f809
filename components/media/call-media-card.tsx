import {
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from "@tremor/react";
import type { CallMediaLeg } from "@/lib/media/media-view";
import type { DialogRow } from "@/lib/troubleshoot/dialog-rows";
import { MediaBadge } from "./media-badge";

const yesNo = (v: boolean) => (v ? "yes" : "no");
const bytes = (n: number) => `${n.toLocaleString("en-US")} B`;

function LegRow({ leg }: { leg: CallMediaLeg }) {
  return (
    <TableRow data-testid={`media-leg-${leg.party ?? "other"}`}>
      <TableCell>
        {leg.party ?? "other"} <span className="text-tremor-content">({leg.tag})</span>
      </TableCell>
      <TableCell>{leg.protocol ?? "—"}</TableCell>
      <TableCell>{leg.srtp ?? "none"}</TableCell>
      <TableCell>{leg.dtlsRole ?? "—"}</TableCell>
      <TableCell>{leg.ice ? (leg.iceControlling ? "yes (controlling)" : "yes") : "no"}</TableCell>
      <TableCell>{yesNo(leg.rtcpMux)}</TableCell>
      <TableCell className="tabular-nums">{leg.received.packets.toLocaleString("en-US")}</TableCell>
      <TableCell className="tabular-nums">{leg.packetsPerS ?? "—"}</TableCell>
      <TableCell className="tabular-nums">{bytes(leg.received.bytes)}</TableCell>
      <TableCell className="tabular-nums">{leg.received.errors}</TableCell>
      <TableCell>{leg.remote ?? "not known yet"}</TableCell>
      <TableCell>{leg.sending ? "sendrecv/sendonly" : "not sending (hold/recvonly)"}</TableCell>
    </TableRow>
  );
}

/**
 * One live call's media as RTPEngine reports it (NG `query`): per party, what RTPEngine negotiated and the RTP it
 * received from that party (its sending direction), and the gateway's RTPEngine flags for the bridge direction.
 */
export function CallMediaCard({ call }: { call: DialogRow }) {
  const media = call.media;
  return (
    <Card data-testid="call-media" className="space-y-2">
      <Title>
        Media of call {call.fromUri} → {call.toUri}
      </Title>
      <Text>
        Call-ID {call.callId} · bridge {call.direction ?? "unknown yet"} · codec{" "}
        <span data-testid="call-codec">
          {media?.codec ? `${media.codec.name} (payload type ${media.codec.payloadType})` : "not recorded"}
        </span>{" "}
        · <MediaBadge media={media} />
      </Text>
      {media === null ? (
        <Text>RTPEngine has not been asked about this call yet (it is asked each poll once answered).</Text>
      ) : (
        <>
          <Text>
            {media.engine ? `RTPEngine ${media.engine}` : "No RTPEngine"}, read {media.at}. Packets are RTP
            only (RTCP on its own port not counted), received from each party.
          </Text>
          {media.legs.length > 0 ? (
            <Table>
              <TableHead>
                <TableRow>
                  {[
                    "Party",
                    "Profile",
                    "SRTP",
                    "DTLS role",
                    "ICE",
                    "rtcp-mux",
                    "RTP packets",
                    "pkt/s",
                    "Bytes",
                    "Errors",
                    "Media to",
                    "SDP direction",
                  ].map((h) => (
                    <TableHeaderCell key={h}>{h}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {media.legs.map((leg) => (
                  <LegRow key={leg.tag} leg={leg} />
                ))}
              </TableBody>
            </Table>
          ) : null}
          {media.flags ? (
            <div data-testid="gateway-flags" className={media.state === "one_way" ? "text-red-700" : ""}>
              <Text>RTPEngine flags the gateway uses for this bridge (gateway/routes-media.cfg):</Text>
              <Text className="font-mono">offer toward the callee: {media.flags.offer}</Text>
              <Text className="font-mono">answer toward the caller: {media.flags.answer}</Text>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
