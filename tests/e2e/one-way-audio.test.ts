import path from "node:path";
import { describe, expect, it } from "vitest";
import { callMediaLegs } from "@/lib/media/call-media";
import { createRtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { setUpGatewayFixture } from "../support/gateway-fixture";
import { endDialog } from "../support/kamailio-rpc";
import { playRtp } from "../support/rtp-stream";
import { startSippCallee, startSippCaller } from "../support/sipp-phones";
import { waitFor } from "../support/wait";
import { openWhen, signIn } from "./support/page-state";
import { screenshotDir, setupDashboardApp } from "./support/suite";

// One-way audio in Chromium against the real app polling the lab: a UDP→UDP call through Kamailio and RTPEngine
// where only the caller's RTP flows (played into RTPEngine at 50 packets/s). The dialogs page flags the call and
// names the silent callee, the callee's user page shows each leg's counters, the codec and the gateway's RTPEngine
// flags, and /events has the one_way_audio event. Lab users 86..87.

const suite = setupDashboardApp({ KAMDASH_HEAVY_INTERVAL_MS: "2000", KAMDASH_ONE_WAY_AFTER_S: "3" });
const gateway = setUpGatewayFixture({ first: 86, count: 2 });

describe("one-way audio in the browser", () => {
  it("dialogs page, user page and events show the silent callee", async () => {
    const lab = suite.lab();
    const calleeUser = await gateway.freshUser();
    const callerUser = await gateway.freshUser();
    const callee = await startSippCallee(lab, calleeUser, "udp", "answer", 120_000);
    gateway.onCleanup(() => callee.stop());
    const caller = await startSippCaller(lab, callerUser, calleeUser.username, "udp", 90_000);
    gateway.onCleanup(() => caller.stop());
    // SIPp stopped early sends no BYE: end the dialog so no confirmed call stays on the shared lab
    gateway.onCleanup(() => endDialog(lab.rpc, caller.callId));
    const ng = createRtpengineNgClient({ address: lab.rtpengine.ng });
    gateway.onCleanup(() => ng.close());
    const legs = await waitFor(
      async () => {
        const found = callMediaLegs(await ng.queryReply(caller.callId).catch(() => ({ tags: {} }) as never));
        return found.length === 2 ? found : undefined;
      },
      { description: "RTPEngine holds both legs", timeoutMs: 20_000 },
    );
    // the caller's tag is SIPp's From-tag "<pid>uac<n>" (tests/gateway/scenarios/uac-call.xml)
    const callerLeg = legs.find((l) => /uac\d+$/.test(l.tag));
    if (!callerLeg?.localPort) throw new Error(`no caller leg among ${legs.map((l) => l.tag).join(", ")}`);
    gateway.onCleanup(playRtp(callerLeg.localPort, 0x33333333));

    const { page, errors } = await suite.newPage();
    await signIn(page, suite.baseUrl(), "/dialogs?media=one_way", "admin", suite.adminPassword);
    const row = page.locator("[data-testid='dialogs-table-row']", { hasText: caller.callId });
    await openWhen(
      page,
      `${suite.baseUrl()}/dialogs?media=one_way`,
      async () => (await row.count()) === 1,
      "the one-way call on the dialogs page",
    );
    expect(await row.locator("[data-media-state='one_way']").textContent()).toContain(
      "ONE-WAY: no RTP from callee",
    );
    expect(await page.locator("[data-testid='one-way-count']").textContent()).toContain(
      "1 with one-way audio",
    );
    await page.screenshot({ path: path.join(screenshotDir, "dialogs-one-way.png") });

    await page.goto(`${suite.baseUrl()}/users/${encodeURIComponent(calleeUser.username)}`);
    const card = page.locator("[data-testid='call-media']", { hasText: caller.callId });
    await card.waitFor();
    expect(await card.locator("[data-testid='call-codec']").textContent()).toContain("PCMU/8000");
    const callerRow = await card.locator("[data-testid='media-leg-caller']").textContent();
    const calleeRow = await card.locator("[data-testid='media-leg-callee']").textContent();
    expect(callerRow).toContain("RTP/AVP");
    expect(calleeRow).toMatch(/RTP\/AVP.*\b0\b/);
    expect(await card.locator("[data-testid='gateway-flags']").textContent()).toContain(
      "replace-origin replace-session-connection",
    );
    await page.screenshot({ path: path.join(screenshotDir, "user-one-way.png"), fullPage: true });

    await page.goto(
      `${suite.baseUrl()}/events?kind=one_way_audio&callId=${encodeURIComponent(caller.callId)}`,
    );
    await page.getByText(`no RTP from the callee (udp)`).first().waitFor();
    expect(errors).toEqual([]);
  });
});
