import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import http from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LabConfig, labUp } from "@/scripts/lab/lab";
import { type RunningServer, startServer } from "../integration/cli-forward-support";
import { type E2eBrowser, openBrowser, WALL_VIEWPORT } from "../support/browser";
import { waitFor } from "../support/wait";
import { ensureBuild, repoRoot } from "./support/app-server";
import { waitForLiveStatus } from "./support/page-state";
import { screenshotDir } from "./support/suite";

// A first start as a new user makes it: `next start` from a folder with no ./data, no .lab/lab.json and no
// setting. The sign-in page points to /setup; /setup creates the admin (from this machine; from elsewhere only
// with the code from the log); the overview and the wall show "No Kamailio node yet", not zeros; the lab's node
// added from the overview's form is polled; setup is gone afterwards.
// Requests "from elsewhere" leave from this machine's own non-loopback address (http.request localAddress) to the
// server on 127.0.0.1, so the server sees a non-loopback peer while it listens on loopback only.

const password = `first-admin-${randomBytes(6).toString("hex")}`;
const browsers: E2eBrowser[] = [];
const folders: string[] = [];
const servers: RunningServer[] = [];
let lab: LabConfig;

function nonLoopbackAddress(): string {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && a.family === "IPv4");
  const address = addresses[0]?.address;
  if (!address) throw new Error("this test needs a non-loopback IPv4 address on the machine (none found)");
  return address;
}

/** POST /api/setup from `localAddress` (or loopback); the status and JSON body. */
function postSetup(
  baseUrl: string,
  body: unknown,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL("/api/setup", baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: options.localAddress,
        headers: { "content-type": "application/json", ...options.headers },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

/** A fresh, empty working folder whose prisma/ is the repo's (the migrations), and the server started there. */
async function startFresh(): Promise<{ server: RunningServer; folder: string; code: string }> {
  const folder = await mkdtemp(path.join(tmpdir(), "kamdash-first-run-"));
  folders.push(folder);
  await symlink(path.join(repoRoot, "prisma"), path.join(folder, "prisma"));
  const server = await startServer({ via: "next-start", cwd: folder });
  servers.push(server);
  const line = await waitFor(
    async () => /setup code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(await server.log()) ?? undefined,
    {
      timeoutMs: 30_000,
      description: "the setup code in the server's log",
    },
  );
  return { server, folder, code: line[1] ?? "" };
}

beforeAll(async () => {
  lab = (await labUp()).config;
  await ensureBuild();
  await mkdir(screenshotDir, { recursive: true });
}, 900_000);

afterAll(async () => {
  await Promise.allSettled(browsers.map((b) => b.close()));
  await Promise.allSettled(servers.map((s) => s.stop()));
  await Promise.allSettled(folders.map((f) => rm(f, { recursive: true, force: true })));
}, 60_000);

describe("setup from another machine", () => {
  it("is refused without the code, with a wrong code and to a spoofed or proxied loopback; the code works once", async () => {
    const { server, code } = await startFresh();
    const base = server.baseUrl;
    const remote = { localAddress: nonLoopbackAddress() };
    const admin = { username: "remote-admin", password };
    expect((await postSetup(base, admin, remote)).status).toBe(403);
    expect((await postSetup(base, { ...admin, code: "ABCD-EFGH-JKMN" }, remote)).status).toBe(403);
    // the peer stamp cannot be forged, and a proxy on this machine is not "this machine"
    const forged = { "x-kamdash-peer-address": "127.0.0.1", "x-kamdash-peer-forwarded": "0" };
    expect((await postSetup(base, admin, { ...remote, headers: forged })).status).toBe(403);
    expect((await postSetup(base, admin, { headers: { "x-forwarded-for": "203.0.113.5" } })).status).toBe(
      403,
    );
    // a cross-site page cannot post it either
    expect((await postSetup(base, admin, { headers: { origin: "https://evil.example" } })).status).toBe(403);

    const created = await postSetup(base, { ...admin, code: code.toLowerCase() }, remote);
    expect(created.status, created.body).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ operator: { username: "remote-admin", role: "admin" } });
    // gone for everybody, code or not
    expect((await postSetup(base, { username: "second", password, code }, remote)).status).toBe(404);
    expect((await postSetup(base, { username: "second", password })).status).toBe(404);
  });
});

describe("first run in the browser", () => {
  it("goes from the sign-in page through /setup to an empty overview, adds the lab's node and sees it polled", async () => {
    const { server } = await startFresh();
    const base = server.baseUrl;
    const browser = await openBrowser(WALL_VIEWPORT);
    browsers.push(browser);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));

    // remote visitors of the setup page are asked for the code; this browser (loopback) is not
    const remoteForm = await new Promise<string>((resolve, reject) => {
      http
        .get(
          { host: "127.0.0.1", port: new URL(base).port, path: "/setup", localAddress: nonLoopbackAddress() },
          (r) => {
            let text = "";
            r.setEncoding("utf8");
            r.on("data", (chunk: string) => {
              text += chunk;
            });
            r.on("end", () => resolve(text));
          },
        )
        .on("error", reject);
    });
    expect(remoteForm).toContain("setup-code-hint");

    await page.goto(`${base}/overview`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.waitForSelector("[data-testid='first-run-notice']");
    await page.click("[data-testid='first-run-notice'] a[href='/setup']");
    await page.waitForSelector("[data-testid='setup-form']");
    expect(await page.locator("[data-testid='setup-code-hint']").count()).toBe(0);
    await page.fill("#username", "admin");
    await page.fill("#password", password);
    await page.fill("#repeat", password);
    await page.click("[data-testid='setup-form'] button[type=submit]");
    await page.waitForURL(`${base}/overview`);

    // no node: the empty state, not a single fleet number
    await page.waitForSelector("[data-testid='no-node-yet']");
    expect(await page.textContent("[data-testid='no-node-yet'] h2")).toBe("No Kamailio node yet");
    expect(await page.locator("[data-testid='overview-totals'], [data-testid^='total-']").count()).toBe(0);
    expect(await page.textContent("[data-testid='no-node-lab']")).toContain("npm run lab:up");
    await page.screenshot({ path: path.join(screenshotDir, "first-run-overview-empty.png") });
    await page.goto(`${base}/wall`);
    await page.waitForSelector("[data-testid='no-node-yet']");
    expect(await page.locator("[data-testid^='wall-tile-']").count()).toBe(0);
    expect(await page.textContent("[data-testid='wall-fleet-summary']")).toBe("no node");
    await page.screenshot({ path: path.join(screenshotDir, "first-run-wall-empty.png") });

    // setup is gone: the page sends a signed-in admin on, the API answers 404
    await page.goto(`${base}/setup`);
    expect(new URL(page.url()).pathname).not.toBe("/setup");
    expect((await postSetup(base, { username: "late", password })).status).toBe(404);

    await page.goto(`${base}/overview`);
    // hydrated and on the live stream, so the form posts its server action and the stream brings the node
    await waitForLiveStatus(page, "live");
    await page.fill("#node-name", "lab");
    await page.fill("#node-rpc-url", lab.rpc);
    await page.click("[data-testid='add-node-form'] button[type=submit]");
    // the poller reloads on the change and the live stream replaces the empty state (and its form) with the node
    const row = "[data-testid='node-row'][data-node='lab']";
    const tone = await waitFor(
      async () => {
        const formError = await page
          .locator("[data-testid='add-node-form'] [role='alert']")
          .textContent({ timeout: 100 })
          .catch(() => null);
        if (formError) throw new Error(`the add-node form says: ${formError}`);
        return (await page.locator(row).count()) > 0 && page.getAttribute(row, "data-tone");
      },
      { timeoutMs: 30_000, description: "the lab node's row on the overview" },
    ).catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(screenshotDir, "first-run-add-node.png") });
      throw error;
    });
    expect(tone).toBe("ok");
    expect(await page.locator("[data-testid='no-node-yet']").count()).toBe(0);
    expect(await page.getAttribute("[data-testid='total-nodesTotal']", "data-value")).toBe("1");
    expect(errors).toEqual([]);
  });
});
