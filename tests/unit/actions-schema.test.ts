import { describe, expect, it } from "vitest";
import { actionRequestSchema } from "@/lib/actions/action-schema";
import { parseDlgEndDlg } from "@/lib/kamailio/methods/dlg-end-dlg";
import { parseRtpengineEnable, rtpengineEnableParams } from "@/lib/kamailio/methods/rtpengine-enable";
import { parseWsClose } from "@/lib/kamailio/methods/ws-actions";

// Action input from a form, the API or the CLI is parsed once; replies are the lab's (captured with curl, 5.6).

const issues = (input: unknown) => {
  const parsed = actionRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("action requests", () => {
  it("accepts each action and coerces ids typed into a form", () => {
    expect(actionRequestSchema.parse({ action: "ws.close", node: "lab", connectionId: "42" })).toEqual({
      action: "ws.close",
      node: "lab",
      connectionId: 42,
    });
    expect(
      actionRequestSchema.parse({ action: "dlg.end", node: "lab", hEntry: "3", hId: 1207 }),
    ).toMatchObject({
      hEntry: 3,
      hId: 1207,
    });
  });

  it("names the field of every bad input", () => {
    expect(issues({ action: "ws.close", node: "lab", connectionId: "abc" })).toEqual([
      "connectionId: connection id must be a number",
    ]);
    expect(issues({ action: "ws.close", node: "lab", connectionId: 0 })).toEqual([
      "connectionId: connection id must be positive",
    ]);
    expect(issues({ action: "dlg.end", node: "lab", hEntry: -1, hId: 2 ** 32 })).toEqual([
      "hEntry: h_entry must not be negative",
      "hId: h_id must fit in 32 bits",
    ]);
    expect(issues({ action: "rtpengine.enable", node: "lab", url: "http://x", enabled: true })[0]).toMatch(
      /^url: /,
    );
    expect(
      issues({ action: "rtpengine.enable", node: "lab", url: "udp:127.0.0.1:22222", enabled: "x" })[0],
    ).toMatch(/^enabled: /);
    expect(issues({ action: "core.kill", node: "lab" })[0]).toMatch(/^action: /);
  });
});

describe("action replies", () => {
  it("rtpengine.enable params are 1 or 0 only (Kamailio reads any other text as 0: disable)", () => {
    expect(rtpengineEnableParams("udp:127.0.0.1:22222", true)).toEqual(["udp:127.0.0.1:22222", 1]);
    expect(rtpengineEnableParams("udp:127.0.0.1:22222", false)).toEqual(["udp:127.0.0.1:22222", 0]);
    expect(parseRtpengineEnable({ url: "udp:127.0.0.1:22222", status: "disable" })).toEqual({
      url: "udp:127.0.0.1:22222",
      enabled: false,
    });
    expect(() => parseRtpengineEnable({ url: "udp:127.0.0.1:22222", status: 1 })).toThrow(/status/);
  });

  it("ws.close and dlg.end_dlg accept the empty success reply and refuse anything else", () => {
    expect(() => parseWsClose({})).not.toThrow();
    expect(() => parseDlgEndDlg({})).not.toThrow();
    expect(() => parseWsClose({ closed: 1 })).toThrow(/ws.close/);
  });
});
