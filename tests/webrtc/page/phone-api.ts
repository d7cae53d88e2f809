// The surface the bundled test page puts on `window.kamdashPhone`; the test drives it with page.evaluate().

export interface RegisterOptions {
  /** e.g. wss://127.0.0.1:8443 */
  wsUrl: string;
  username: string;
  password: string;
  domain: string;
}

export interface EstablishedCall {
  callId: string;
}

export interface AudioStats {
  /** inbound-rtp audio packetsReceived: RTP packets (never RTCP) the browser received, cumulative. */
  packetsReceived: number;
  packetsLost: number;
  /** outbound-rtp audio packetsSent: RTP packets the browser sent, cumulative. */
  packetsSent: number;
  codec: string | null;
  /** RTCStats timestamp (ms) of the inbound-rtp report; null while there is none (nothing received yet). */
  timestampMs: number | null;
  /** RTCPeerConnection.connectionState: "connected" once ICE and DTLS are both up. */
  connectionState: string;
}

export interface SessionDescriptions {
  /** SDP the browser sent (its local description); null before there is one. */
  local: string | null;
  /** SDP the browser received, as RTPEngine rewrote it; null before there is one. */
  remote: string | null;
}

export interface PhoneApi {
  /** Connects over WebSocket and registers; rejects with the SIP cause when registration fails. */
  register(options: RegisterOptions): Promise<void>;
  /** Calls a SIP URI and resolves once the call is confirmed (200 OK received and ACK sent). */
  call(target: string): Promise<EstablishedCall>;
  /** Answers the next incoming call automatically; resolves once it is confirmed (ACK received). */
  answerNextCall(): Promise<EstablishedCall>;
  /** getStats() of the current call: the inbound-rtp and outbound-rtp audio counters. */
  audioStats(): Promise<AudioStats>;
  /** The current call's local and remote SDP. */
  sessionDescriptions(): SessionDescriptions;
  /** Sends BYE for the current call and resolves when the session has ended. */
  hangUp(): Promise<void>;
  /** Unregisters and closes the WebSocket. */
  stop(): Promise<void>;
  /** Log of SIP-level events, to explain a failure. */
  events(): string[];
}

declare global {
  interface Window {
    kamdashPhone: PhoneApi;
  }
}
