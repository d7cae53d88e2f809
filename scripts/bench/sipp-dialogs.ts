import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DIALOG_CONFIRMED, kamailioRpc, listDialogs } from "../../tests/support/kamailio-rpc";
import { freePort } from "../../tests/support/ports";
import { scenariosDir } from "../../tests/support/sipp";
import type { LabConfig, LabUser } from "../lab/config";

// N concurrent confirmed dialogs through the lab gateway (and RTPEngine: plain RTP/AVP both sides), made by SIPp over
// UDP with the gateway suite's scenarios: a callee (uas-answer.xml) registered as one bench user, and a caller
// (uac-call.xml) placing `count` calls at `rate` per second and holding each. SIPp runs without message traces (a
// thousand calls would write hundreds of MB). Teardown ends every dialog of the caller with dlg.end_dlg (BYE both
// ways, RTPEngine freed in the gateway's dialog:end route) before stopping SIPp by its PID: a killed SIPp sends no
// BYE and a confirmed dialog would stay 3 h on the shared lab; then removes the callee's contact (ul.rm).

export type SippDialogs = {
  /** confirmed dialogs of the caller that Kamailio lists now */
  confirmed: () => Promise<number>;
  stop: () => Promise<void>;
};

function sipp(args: string[]): ChildProcess {
  const child = spawn("/usr/bin/sipp", args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.resume();
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once("exit", () => resolve()));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([exited(child), sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

const common = (port: number) => ["-t", "u1", "-i", "127.0.0.1", "-p", String(port), "-mi", "127.0.0.1"];
const controls = ["-ci", "127.0.0.1", "-nostdin"];

/** Registers `callee` over UDP, starts its answering SIPp, then the caller; resolves once `count` are confirmed. */
export async function openSippDialogs(
  lab: LabConfig,
  caller: LabUser,
  callee: LabUser,
  options: { count: number; rate: number; holdMs: number; log: (line: string) => void },
): Promise<SippDialogs> {
  const keys = (k: Record<string, string>) => Object.entries(k).flatMap(([n, v]) => ["-key", n, v]);
  const calleePort = await freePort();
  const register = sipp([
    lab.sip.udp,
    "-sf",
    path.join(scenariosDir, "register.xml"),
    ...common(calleePort),
    ...controls,
    "-m",
    "1",
    "-timeout",
    "15s",
    "-timeout_error",
    "-au",
    callee.username,
    "-ap",
    callee.password,
    ...keys({
      user: callee.username,
      domain: lab.domain,
      via_transport: "UDP",
      contact_host: "127.0.0.1",
      contact_port: String(calleePort),
      contact_transport: "udp",
      expires: "3600",
    }),
  ]);
  await exited(register);
  if (register.exitCode !== 0)
    throw new Error(`SIPp REGISTER of ${callee.username} exited ${register.exitCode}`);
  const uas = sipp([
    "-sf",
    path.join(scenariosDir, "uas-answer.xml"),
    ...common(calleePort),
    ...controls,
    "-m",
    String(options.count),
    ...keys({ contact_transport: "udp" }),
  ]);
  await sleep(500);
  const uac = sipp([
    lab.sip.udp,
    "-sf",
    path.join(scenariosDir, "uac-call.xml"),
    ...common(await freePort()),
    ...controls,
    "-m",
    String(options.count),
    "-l",
    String(options.count),
    "-r",
    String(options.rate),
    "-d",
    String(options.holdMs),
    "-au",
    caller.username,
    "-ap",
    caller.password,
    ...keys({
      user: caller.username,
      callee: callee.username,
      domain: lab.domain,
      via_transport: "UDP",
      contact_transport: "udp",
    }),
  ]);
  const ours = async () =>
    (await listDialogs(lab.rpc)).filter((d) => d.from_uri.includes(`sip:${caller.username}@`));
  const confirmed = async () => (await ours()).filter((d) => d.state === DIALOG_CONFIRMED).length;
  const stop = async () => {
    for (let round = 0; round < 3; round++) {
      const live = (await ours().catch(() => [])).filter((d) => d.state < 5);
      if (live.length === 0) break;
      for (const d of live)
        await kamailioRpc(lab.rpc, "dlg.end_dlg", d.h_entry, d.h_id).catch(() => undefined);
      await sleep(1000);
    }
    await stopChild(uac);
    await stopChild(uas);
    // the callee's UDP contact would stay an hour (no connection to lose): remove it
    await kamailioRpc(lab.rpc, "ul.rm", "location", callee.username).catch(() => undefined);
  };
  const deadline = Date.now() + (options.count / options.rate) * 1000 + 60_000;
  let last = -1;
  for (;;) {
    const n = await confirmed().catch(() => 0);
    if (n !== last && n % 250 < 25) options.log(`  ${n} dialogs confirmed`);
    last = n;
    if (n >= options.count) break;
    if (Date.now() > deadline || uac.exitCode !== null || uas.exitCode !== null) {
      options.log(
        `  only ${n} of ${options.count} dialogs confirmed (SIPp exit: uac ${uac.exitCode}, uas ${uas.exitCode})`,
      );
      break;
    }
    await sleep(2000);
  }
  return { confirmed, stop };
}
