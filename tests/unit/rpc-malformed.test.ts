// Malformed replies (edited copies of captured ones, scripts/capture/derive-fixtures.ts) and real error replies:
// each must give the right error kind, and invalid replies must name the failing field.
import { describe, expect, it } from "vitest";
import { parseCntGrpGetAll } from "@/lib/kamailio/methods/cnt-grp-get-all";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { parseRtpengineShow } from "@/lib/kamailio/methods/rtpengine-show";
import { parseStatsFetch } from "@/lib/kamailio/methods/stats-fetch";
import { parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { parseWsDump } from "@/lib/kamailio/methods/ws-dump";
import { decodeRpcReply } from "@/lib/kamailio/transport";
import { FIXTURE_NODE, fixtureBody, fixtureFailure, fixtureResult } from "./rpc-fixtures";

describe("malformed replies", () => {
  it("dlg.list with a wrong type names the dialog and field", () => {
    const error = fixtureFailure(() =>
      parseDlgList(fixtureResult("dlg.list.malformed-wrong-type.json", "dlg.list"), FIXTURE_NODE),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe("[1].call-id");
    expect(error.message).toBe(`dlg.list on ${FIXTURE_NODE}: [1].call-id: expected string, received number`);
  });

  it("ul.dump with a missing Tcpconn-Id", () => {
    const error = fixtureFailure(() =>
      parseUlDump(fixtureResult("ul.dump.malformed-missing-field.json", "ul.dump"), FIXTURE_NODE),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe("Domains[0].Domain.AoRs[1].Info.Contacts[0].Contact.Tcpconn-Id");
    expect(error.detail).toBe(`${error.fieldPath}: expected number, received undefined`);
  });

  it("ws.dump with an unreadable line names the line and quotes it", () => {
    const error = fixtureFailure(() =>
      parseWsDump(fixtureResult("ws.dump.malformed-bad-line.json", "ws.dump"), FIXTURE_NODE),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe("connections[2]");
    expect(error.detail).toBe(
      'connections[2]: line does not match the ws.dump format: "28: ws:127.0.0.1:48666 -> ws:127.0.0.1:8080"',
    );
  });

  it("core.tcp_list cut off mid-reply is not JSON", () => {
    const error = fixtureFailure(() =>
      parseCoreTcpList(fixtureResult("core.tcp_list.malformed-truncated.json", "core.tcp_list")),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.detail).toMatch(
      /^reply is not JSON \(body starts: "\{\\"jsonrpc\\":\\"2.0\\",\\"result\\":\[/,
    );
  });

  it("stats.fetch with a number where Kamailio sends strings", () => {
    const error = fixtureFailure(() =>
      parseStatsFetch(fixtureResult("stats.fetch.malformed-number-value.json", "stats.fetch"), FIXTURE_NODE),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe('["dialog.active_dialogs"]');
  });

  it("cnt.grp_get_all with a non-numeric counter", () => {
    const error = fixtureFailure(() =>
      parseCntGrpGetAll(fixtureResult("cnt.grp_get_all.malformed-bad-value.json", "cnt.grp_get_all")),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe("wss_ws_relayed");
  });

  it("rtpengine.show with an unknown disabled value", () => {
    const error = fixtureFailure(() =>
      parseRtpengineShow(fixtureResult("rtpengine.show.malformed-wrong-type.json", "rtpengine.show")),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.fieldPath).toBe("[0].disabled");
  });

  it("an HTML error page is an HTTP error", () => {
    const error = fixtureFailure(() =>
      decodeRpcReply(fixtureBody("error.html-page.malformed-http-404.html"), {
        method: "core.version",
        nodeUrl: FIXTURE_NODE,
        status: 404,
      }),
    );
    expect(error.kind).toBe("http");
    expect(error.status).toBe(404);
    expect(error.detail).toContain("404 Not Found");
  });

  it("an HTML page with HTTP 200 is an invalid reply", () => {
    const error = fixtureFailure(() =>
      decodeRpcReply(fixtureBody("error.html-page.malformed-http-404.html"), { method: "x", nodeUrl: "" }),
    );
    expect(error.kind).toBe("invalid_reply");
    expect(error.detail).toMatch(/^reply is not JSON/);
  });
});

describe("real error replies captured from the lab", () => {
  it("unknown method: JSON-RPC error 500 with HTTP 500", () => {
    const error = fixtureFailure(() =>
      fixtureResult("error.method-not-found.http-500.json", "no.such.method", 500),
    );
    expect(error).toMatchObject({ kind: "rpc", rpcCode: 500, rpcMessage: "Method Not Found", status: 500 });
  });

  it("bad parameter: JSON-RPC error 400 with HTTP 400", () => {
    const error = fixtureFailure(() => fixtureResult("error.bad-param.http-400.json", "ws.dump", 400));
    expect(error).toMatchObject({ kind: "rpc", rpcCode: 400, rpcMessage: "Bad display order parameter" });
  });

  it("a path the gateway does not route to RPC: plain-text 404", () => {
    const error = fixtureFailure(() => fixtureResult("error.wrong-path.http-404.txt", "core.version", 404));
    expect(error).toMatchObject({ kind: "http", status: 404, detail: 'HTTP 404 (body starts: "Not found")' });
  });
});
