// Browser side of the WebRTC media test: a JsSIP softphone driven by the test through window.kamdashPhone.
// Bundled with esbuild (tests/webrtc/build-page.ts); runs in Chromium, never in Node.
import * as JsSIP from "jssip";
import type { RTCSession } from "jssip/lib/RTCSession";
import type { OutgoingRequest } from "jssip/lib/SIPMessage";
import type { RTCSessionEvent } from "jssip/lib/UA";
import type {
  AudioStats,
  EstablishedCall,
  PhoneApi,
  RegisterOptions,
  SessionDescriptions,
} from "./phone-api";

// RTPEngine's answer toward the browser carries no BUNDLE group: with max-bundle Chrome rejects it.
const PC_CONFIG: RTCConfiguration = { bundlePolicy: "balanced", iceServers: [] };
const MEDIA: MediaStreamConstraints = { audio: true, video: false };

const log: string[] = [];
let ua: JsSIP.UA | null = null;
let current: RTCSession | null = null;
let lastOutgoingCallId: string | null = null;
let pendingAnswer: {
  resolve: (call: EstablishedCall) => void;
  reject: (error: Error) => void;
} | null = null;

function note(message: string): void {
  log.push(`${new Date().toISOString()} ${message}`);
}

function requireUa(): JsSIP.UA {
  if (!ua) throw new Error("register() first");
  return ua;
}

function logPeerConnection(pc: RTCPeerConnection): void {
  pc.addEventListener("iceconnectionstatechange", () => note(`ICE ${pc.iceConnectionState}`));
  pc.addEventListener("connectionstatechange", () => note(`peer connection ${pc.connectionState}`));
}

function watchSession(session: RTCSession, callId: string): Promise<EstablishedCall> {
  current = session;
  // An outgoing session creates its RTCPeerConnection inside call(), before we can subscribe.
  if (session.connection) logPeerConnection(session.connection);
  else session.on("peerconnection", (event) => logPeerConnection(event.peerconnection));
  session.on("sdp", (event) => note(`${event.originator} SDP ${event.type}:\n${event.sdp}`));
  return new Promise((resolve, reject) => {
    session.on("progress", () => note(`call ${callId}: progress`));
    session.on("accepted", () => note(`call ${callId}: accepted`));
    session.on("confirmed", () => {
      note(`call ${callId}: confirmed`);
      resolve({ callId });
    });
    session.on("failed", (event) => {
      note(`call ${callId}: failed (${event.cause})`);
      reject(new Error(`call failed: ${event.cause}`));
    });
    session.on("ended", (event) => note(`call ${callId}: ended (${event.cause}, by ${event.originator})`));
    session.on("peerconnection:setremotedescriptionfailed", (error) =>
      note(`setRemoteDescription failed: ${String(error)}`),
    );
    session.on("getusermediafailed", (error) => note(`getUserMedia failed: ${String(error)}`));
  });
}

function onNewSession(event: RTCSessionEvent): void {
  // Originator and SessionDirection are ambient enums in JsSIP's typings (no runtime object): compare strings.
  if (String(event.originator) === "local") {
    lastOutgoingCallId = (event.request as OutgoingRequest).call_id;
    return;
  }
  const { session, request } = event;
  const callId = request.getHeader("Call-ID");
  note(`incoming call ${callId} from ${session.remote_identity.uri.toString()}`);
  const waiter = pendingAnswer;
  pendingAnswer = null;
  if (!waiter) {
    session.terminate({ status_code: 486 });
    return;
  }
  watchSession(session, callId).then(waiter.resolve, waiter.reject);
  session.answer({ mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
}

function register(options: RegisterOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new JsSIP.WebSocketInterface(options.wsUrl);
    const agent = new JsSIP.UA({
      sockets: [socket],
      uri: `sip:${options.username}@${options.domain}`,
      password: options.password,
      register: true,
      session_timers: false,
      user_agent: "kamdash-webrtc-test",
    });
    ua = agent;
    agent.on("connected", () => note(`websocket connected to ${options.wsUrl}`));
    agent.on("disconnected", () => note("websocket disconnected"));
    agent.on("registered", () => {
      note(`registered as ${options.username}`);
      resolve();
    });
    agent.on("registrationFailed", (event) => {
      note(`registration failed: ${event.cause}`);
      reject(new Error(`registration failed: ${event.cause}`));
    });
    agent.on("newRTCSession", onNewSession);
    agent.start();
  });
}

function call(target: string): Promise<EstablishedCall> {
  lastOutgoingCallId = null;
  // JsSIP emits newRTCSession (with the INVITE, see onNewSession) synchronously inside call().
  const session = requireUa().call(target, { mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
  const callId = lastOutgoingCallId as string | null;
  if (!callId) return Promise.reject(new Error("JsSIP created no INVITE"));
  note(`calling ${target}, Call-ID ${callId}`);
  return watchSession(session, callId);
}

function answerNextCall(): Promise<EstablishedCall> {
  requireUa();
  return new Promise((resolve, reject) => {
    pendingAnswer = { resolve, reject };
  });
}

async function audioStats(): Promise<AudioStats> {
  if (!current) throw new Error("no call");
  const pc = current.connection;
  const stats = await pc.getStats();
  const codecs = new Map<string, string>();
  stats.forEach((report: { type: string; id: string; mimeType?: string }) => {
    if (report.type === "codec" && report.mimeType) codecs.set(report.id, report.mimeType);
  });
  // Chrome creates the inbound-rtp report with the first packet received: no report means nothing arrived.
  const audio: AudioStats = {
    packetsReceived: 0,
    packetsLost: 0,
    packetsSent: 0,
    codec: null,
    timestampMs: null,
    connectionState: pc.connectionState,
  };
  stats.forEach((report: RTCInboundRtpStreamStats | RTCOutboundRtpStreamStats) => {
    if (report.kind !== "audio") return;
    if (report.type === "outbound-rtp")
      audio.packetsSent += (report as RTCOutboundRtpStreamStats).packetsSent ?? 0;
    if (report.type !== "inbound-rtp") return;
    const inbound = report as RTCInboundRtpStreamStats;
    audio.packetsReceived += inbound.packetsReceived ?? 0;
    audio.packetsLost += inbound.packetsLost ?? 0;
    audio.codec = inbound.codecId ? (codecs.get(inbound.codecId) ?? null) : null;
    audio.timestampMs = inbound.timestamp;
  });
  return audio;
}

function sessionDescriptions(): SessionDescriptions {
  const pc = current?.connection;
  return { local: pc?.localDescription?.sdp ?? null, remote: pc?.remoteDescription?.sdp ?? null };
}

function hangUp(): Promise<void> {
  const session = current;
  if (!session || session.isEnded()) return Promise.resolve();
  return new Promise((resolve) => {
    session.once("ended", () => resolve());
    session.once("failed", () => resolve());
    session.terminate();
  });
}

function stop(): Promise<void> {
  const agent = ua;
  if (!agent) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    agent.once("disconnected", done);
    setTimeout(done, 3_000);
    agent.stop();
  });
}

const api: PhoneApi = {
  register,
  call,
  answerNextCall,
  audioStats,
  sessionDescriptions,
  hangUp,
  stop,
  events: () => [...log],
};
window.kamdashPhone = api;
note("phone page loaded");
