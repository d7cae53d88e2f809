// Launches Debian's Chromium (/usr/bin/chromium) through playwright-core, optionally inside a network namespace.
// Playwright talks to the browser over a pipe (--remote-debugging-pipe, inherited file descriptors 3 and 4), so a
// wrapper script that enters the namespace with `ip netns exec` before exec'ing Chromium keeps the connection.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_EXECUTABLE = "/usr/bin/chromium";

/**
 * Flags a WebRTC call against a self-signed lab needs:
 * - fake devices: a synthetic microphone (a beep) and no permission prompt for getUserMedia;
 * - --ignore-certificate-errors: the lab's WSS certificate is self-signed;
 * - --allow-loopback-in-peer-connection: without it Chromium gathers no ICE candidate on 127.0.0.1 and JsSIP
 *   never sends the INVITE (it waits for ICE gathering).
 */
export const WEBRTC_CHROMIUM_FLAGS: readonly string[] = [
  "--headless=new",
  "--no-sandbox",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--ignore-certificate-errors",
  "--allow-loopback-in-peer-connection",
];

export interface LaunchChromiumOptions {
  /** Folder for the browser's HOME, TMPDIR and XDG folders (PulseAudio and the profile write there). */
  workDir: string;
  /** Run the browser inside this network namespace. */
  netnsName?: string;
  extraArgs?: readonly string[];
}

async function writeNetnsWrapper(workDir: string, netnsName: string): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(netnsName)) throw new Error(`unsafe network namespace name: ${netnsName}`);
  const wrapper = path.join(workDir, "chromium-in-netns.sh");
  await writeFile(
    wrapper,
    `#!/bin/sh\nexec ip netns exec ${netnsName} ${CHROMIUM_EXECUTABLE} "$@"\n`,
    "utf8",
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

export async function launchChromium(options: LaunchChromiumOptions): Promise<Browser> {
  const home = path.join(options.workDir, "home");
  const tmp = path.join(options.workDir, "tmp");
  const runtime = path.join(options.workDir, "runtime");
  await Promise.all([home, tmp, runtime].map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  const executablePath = options.netnsName
    ? await writeNetnsWrapper(options.workDir, options.netnsName)
    : CHROMIUM_EXECUTABLE;
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...WEBRTC_CHROMIUM_FLAGS, ...(options.extraArgs ?? [])],
    env: {
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: home,
      TMPDIR: tmp,
      XDG_CONFIG_HOME: path.join(home, ".config"),
      XDG_CACHE_HOME: path.join(home, ".cache"),
      XDG_RUNTIME_DIR: runtime,
    },
  });
}
