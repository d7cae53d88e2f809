// Everything the WebRTC media test runs, inside one network namespace created for it: a private lab (Kamailio +
// RTPEngine from scripts/lab with its own state dir and database), a PostgreSQL forwarder, the page server and
// Chromium. The test process itself stays in the host namespace and reaches inside with `ip netns exec`.
import { execFile } from "node:child_process";
import { access, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { type LabConfig, type LabUser, labDown, labUp } from "../../scripts/lab/lab";
import { launchChromium } from "../support/chromium";
import { createNetns, forwardPostgres, type Netns, waitForListener } from "../support/netns";
import { buildPhonePage } from "./build-page";
import { nodeArgsForTs } from "./ts-runner";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const PAGE_PORT = 8088;
export const PAGE_ORIGIN = `http://127.0.0.1:${PAGE_PORT}`;
/** A database of its own: labUp provisions fresh passwords, which must not touch the shared lab's users. */
const WEBRTC_DB_URL = "postgres://postgres@127.0.0.1:5432/kamdash_webrtc";

export interface WebrtcEnvironment {
  netns: Netns;
  lab: LabConfig;
  stateDir: string;
  workDir: string;
  browser: Browser;
  page: Page;
  /** The browser's SIP account and the UDP SIPp side's account. */
  browserUser: LabUser;
  sippUser: LabUser;
  /** Stops everything started here and deletes the namespace; keeps the state dir when keepLogs is set. */
  tearDown(keepLogs: boolean): Promise<void>;
}

async function startPageServer(netns: Netns, pageDir: string, workDir: string): Promise<void> {
  netns.spawn(
    process.execPath,
    nodeArgsForTs(path.join(import.meta.dirname, "serve-page.ts"), pageDir, String(PAGE_PORT)),
    {
      label: "page server",
      logFile: path.join(workDir, "page-server.log"),
    },
  );
  await waitForListener(netns, "tcp", PAGE_PORT);
}

export async function setUpWebrtcEnvironment(log: (line: string) => void): Promise<WebrtcEnvironment> {
  const stateDir = path.join(repoRoot, `.lab-webrtc-${process.pid}`);
  const workDir = path.join(stateDir, "work");
  await mkdir(workDir, { recursive: true });
  const netns = await createNetns("kamdash-webrtc");
  log(`network namespace ${netns.name}, state dir ${stateDir}`);
  let browser: Browser | null = null;
  let labAttempted = false;

  const tearDown = async (keepLogs: boolean): Promise<void> => {
    const problems: string[] = [];
    if (browser) {
      const pages = browser.contexts().flatMap((context) => context.pages());
      // Unregister cleanly while Kamailio is still up (best effort: the page may be gone).
      await Promise.all(
        pages.map((page) => page.evaluate(() => window.kamdashPhone?.stop()).catch(() => undefined)),
      );
      await browser.close().catch((error: unknown) => problems.push(`browser: ${String(error)}`));
    }
    if (labAttempted) {
      await labDown({ stateDir, netns: netns.name }).catch((error: unknown) =>
        problems.push(`lab: ${String(error)}`),
      );
    }
    await netns.close().catch((error: unknown) => problems.push(`netns: ${String(error)}`));
    if (keepLogs) log(`logs kept in ${stateDir}`);
    else await rm(stateDir, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`tear-down: ${problems.join("; ")}`);
  };

  try {
    forwardPostgres(netns);
    await waitForListener(netns, "tcp", 5432);
    labAttempted = true; // labDown also cleans up after a half-started lab
    const started = await labUp({
      stateDir,
      netns: netns.name,
      dbUrl: WEBRTC_DB_URL,
      users: 2,
      origins: [PAGE_ORIGIN],
      shmMb: 128,
      pkgMb: 16,
      log: (line) => log(`lab: ${line}`),
    });
    const lab = started.config;
    const [browserUser, sippUser] = lab.users;
    if (!browserUser || !sippUser) throw new Error("labUp provisioned fewer than 2 users");
    if (!lab.origins.includes(PAGE_ORIGIN)) throw new Error(`${PAGE_ORIGIN} is not among the lab's origins`);

    const pageDir = await buildPhonePage(path.join(workDir, "page"));
    await startPageServer(netns, pageDir, workDir);

    browser = await launchChromium({ workDir: path.join(workDir, "chromium"), netnsName: netns.name });
    const page = await browser.newPage();
    page.on("console", (message) => log(`page ${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => log(`page error: ${error.message}`));
    await page.goto(`${PAGE_ORIGIN}/`);
    await page.waitForFunction(() => typeof window.kamdashPhone === "object");
    const registration = {
      wsUrl: lab.sip.wss,
      username: browserUser.username,
      password: browserUser.password,
      domain: lab.domain,
    };
    await page.evaluate((options) => window.kamdashPhone.register(options), registration);
    log(`browser registered as ${browserUser.username} over ${lab.sip.wss} (Origin ${PAGE_ORIGIN})`);

    return { netns, lab, stateDir, workDir, browser, page, browserUser, sippUser, tearDown };
  } catch (error) {
    await tearDown(true).catch((cleanupError: unknown) => log(String(cleanupError)));
    throw error;
  }
}

/** Path of the G.711 A-law sample SIPp's Debian package ships (`dpkg -L sip-tester`). */
export async function findG711Pcap(): Promise<string> {
  const { stdout } = await promisify(execFile)("dpkg", ["-L", "sip-tester"]);
  const pcap = stdout.split("\n").find((line) => line.endsWith("/g711a.pcap"));
  if (!pcap) throw new Error("sip-tester ships no g711a.pcap (dpkg -L sip-tester)");
  await access(pcap);
  return pcap;
}
