import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (scripts/lab/../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** State folder of the shared lab: .lab/ at the repo root (git-ignored). */
export const defaultStateDir = path.join(repoRoot, ".lab");

export const gatewayConfigPath = path.join(repoRoot, "gateway", "kamailio.cfg");

export const defaultDbUrl = "postgres://postgres@127.0.0.1:5432/kamailio";

/** Fixed lab endpoints (127.0.0.1 in the host namespace or inside the caller's network namespace). */
export const labPorts = {
  sip: 5060,
  tls: 5061,
  ws: 8080,
  wss: 8443,
  rpc: 5080,
  rtpengineNg: 22222,
  rtpengineHttp: 22223,
  rtpMin: 30000,
  rtpMax: 39999,
} as const;

export interface StatePaths {
  stateDir: string;
  runDir: string;
  tlsDir: string;
  certFile: string;
  keyFile: string;
  labJson: string;
  knownUsers: string;
  /** the usrloc mode Kamailio was last started with (kept across stop/start, unlike the fingerprint) */
  kamailioMode: string;
  kamailioPid: string;
  kamailioFingerprint: string;
  kamailioLog: string;
  rtpenginePid: string;
  rtpengineLog: string;
}

export function statePaths(stateDir: string = defaultStateDir): StatePaths {
  const runDir = path.join(stateDir, "run");
  const tlsDir = path.join(stateDir, "tls");
  return {
    stateDir,
    runDir,
    tlsDir,
    certFile: path.join(tlsDir, "cert.pem"),
    keyFile: path.join(tlsDir, "key.pem"),
    labJson: path.join(stateDir, "lab.json"),
    knownUsers: path.join(stateDir, "users.json"),
    kamailioMode: path.join(stateDir, "kamailio-mode.json"),
    kamailioPid: path.join(runDir, "kamailio.pid"),
    kamailioFingerprint: path.join(runDir, "kamailio.fingerprint"),
    kamailioLog: path.join(stateDir, "kamailio.log"),
    rtpenginePid: path.join(runDir, "rtpengine.pid"),
    rtpengineLog: path.join(stateDir, "rtpengine.log"),
  };
}
