import { type KamailioMode, type LabConfig, readKamailioMode, readLabConfigIfAny } from "./config";
import { kamailioRpcUrl } from "./kamailio";
import type { LabOptions } from "./lab";
import { defaultStateDir, statePaths } from "./paths";
import { probesFor } from "./probe";
import { isProcessAlive, readPid } from "./process";

export interface ProcessStatus {
  pid: number | null;
  alive: boolean;
  answering: boolean;
}

export interface LabStatus {
  stateDir: string;
  config: LabConfig | null;
  /** the usrloc mode recorded at Kamailio's last start by lab:up / startKamailio (null: none recorded) */
  kamailioMode: KamailioMode | null;
  kamailio: ProcessStatus;
  rtpengine: ProcessStatus;
  up: boolean;
}

export async function labStatus(options: Pick<LabOptions, "stateDir" | "netns"> = {}): Promise<LabStatus> {
  const paths = statePaths(options.stateDir ?? defaultStateDir);
  const probes = probesFor(options.netns);
  const config = await readLabConfigIfAny(paths.stateDir);
  const kamailioPid = await readPid(paths.kamailioPid);
  const rtpenginePid = await readPid(paths.rtpenginePid);
  const kamailioAlive = kamailioPid !== null && (await isProcessAlive(kamailioPid, "kamailio"));
  const rtpengineAlive = rtpenginePid !== null && (await isProcessAlive(rtpenginePid, "rtpengine"));
  const kamailio = {
    pid: kamailioPid,
    alive: kamailioAlive,
    answering: kamailioAlive && (await probes.kamailio(kamailioRpcUrl)),
  };
  const rtpengine = {
    pid: rtpenginePid,
    alive: rtpengineAlive,
    answering:
      rtpengineAlive &&
      (await probes.rtpengine(
        config?.rtpengine.ng ?? "127.0.0.1:22222",
        config?.rtpengine.http ?? "http://127.0.0.1:22223",
      )),
  };
  return {
    stateDir: paths.stateDir,
    config,
    kamailioMode: await readKamailioMode(paths.stateDir),
    kamailio,
    rtpengine,
    up: config !== null && kamailio.answering && rtpengine.answering,
  };
}
