// Parsers for connection/registration replies, on replies captured from the lab (scripts/capture-fixtures.ts).
import { describe, expect, it } from "vitest";
import { countByType, parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { flattenContacts, parseUlDump, parseUlDumpBrief } from "@/lib/kamailio/methods/ul-dump";
import { parseWsDump, parseWsDumpLine, WS_DUMP_MAX_ENTRIES } from "@/lib/kamailio/methods/ws-dump";
import { FIXTURE_NODE, fixtureResult } from "./rpc-fixtures";

const tcpList = (name: string) => parseCoreTcpList(fixtureResult(name, "core.tcp_list"), FIXTURE_NODE);
const wsDump = (name: string) => parseWsDump(fixtureResult(name, "ws.dump"), FIXTURE_NODE);
const ulDump = (name: string) => parseUlDump(fixtureResult(name, "ul.dump"), FIXTURE_NODE);
const ulBrief = (name: string) => parseUlDumpBrief(fixtureResult(name, "ul.dump"), FIXTURE_NODE);

describe("core.tcp_list", () => {
  it("idle: only the RPC request's own HTTP connection is listed", () => {
    const connections = tcpList("core.tcp_list.idle.json");
    expect(connections).toEqual([
      {
        id: 13,
        type: "TCP",
        state: "CONN_OK",
        timeoutSeconds: 3605,
        lifetimeSeconds: 3605,
        refCount: 2,
        srcIp: "127.0.0.1",
        srcPort: 54216,
        dstIp: "127.0.0.1",
        dstPort: 5080,
      },
    ]);
  });

  it("clients: 4 WS + 4 WSS connections plus the RPC connection", () => {
    const connections = tcpList("core.tcp_list.clients.json");
    expect(countByType(connections)).toEqual({ TCP: 1, TLS: 0, WS: 4, WSS: 4, UNKNOWN: 0 });
    const wss = connections.find((c) => c.id === 27);
    expect(wss).toMatchObject({ type: "WSS", dstPort: 8443, srcIp: "127.0.0.1", lifetimeSeconds: 600 });
  });

  it("many: lists every connection, beyond ws.dump's limit of 50", () => {
    const connections = tcpList("core.tcp_list.many.json");
    expect(connections).toHaveLength(57);
    expect(countByType(connections)).toEqual({ TCP: 1, TLS: 0, WS: 28, WSS: 28, UNKNOWN: 0 });
  });
});

describe("ws.dump", () => {
  it("idle: no connections, not truncated", () => {
    expect(wsDump("ws.dump.idle.json")).toEqual({ connections: [], listed: 0, truncated: false });
  });

  it("clients: parses every text line into fields", () => {
    const dump = wsDump("ws.dump.clients.json");
    expect(dump.listed).toBe(8);
    expect(dump.truncated).toBe(false);
    expect(dump.connections.map((c) => c.id)).toEqual([26, 27, 28, 29, 30, 31, 32, 33]);
    expect(dump.connections[1]).toEqual({
      id: 27,
      proto: "wss",
      srcIp: "127.0.0.1",
      srcPort: 44390,
      dstIp: "127.0.0.1",
      dstPort: 8443,
      state: "OPEN",
      awaitingPong: false,
      lastUsedSeconds: 0,
      subProtocol: "sip",
    });
    expect(dump.connections.filter((c) => c.proto === "ws")).toHaveLength(4);
  });

  it("shares connection ids with core.tcp_list", () => {
    const tcpIds = tcpList("core.tcp_list.clients.json")
      .filter((c) => c.type === "WS" || c.type === "WSS")
      .map((c) => c.id)
      .sort((a, b) => a - b);
    expect(wsDump("ws.dump.clients.json").connections.map((c) => c.id)).toEqual(tcpIds);
  });

  it("used_desc order parses the same way", () => {
    expect(wsDump("ws.dump.used-desc.json").connections).toHaveLength(8);
  });

  it("truncated: stops at 50 entries and says so", () => {
    const dump = wsDump("ws.dump.truncated.json");
    expect(dump.truncated).toBe(true);
    expect(dump.listed).toBe(WS_DUMP_MAX_ENTRIES);
    expect(dump.connections).toHaveLength(WS_DUMP_MAX_ENTRIES);
  });

  // Lines below are constructed from the format string in Kamailio's websocket module (ws_conn.c), not captured:
  // the lab has no IPv6 listener and no connection was caught awaiting a Pong.
  it("parses IPv6 addresses and 'awaiting Pong' (constructed lines)", () => {
    expect(
      parseWsDumpLine(
        "7: wss:2001:db8::10:51234 -> wss:2001:db8::1:8443 (state: CLOSING, awaiting Pong,  last used 31s ago, sub-protocol: sip)",
      ),
    ).toEqual({
      id: 7,
      proto: "wss",
      srcIp: "2001:db8::10",
      srcPort: 51234,
      dstIp: "2001:db8::1",
      dstPort: 8443,
      state: "CLOSING",
      awaitingPong: true,
      lastUsedSeconds: 31,
      subProtocol: "sip",
    });
    expect(
      parseWsDumpLine("8: ws:::1:40000 -> ws:::1:8080 (state: OPEN,  last used 2s ago, sub-protocol: msrp)"),
    ).toMatchObject({ srcIp: "::1", srcPort: 40000, dstIp: "::1", dstPort: 8080, subProtocol: "msrp" });
  });

  it("reports what is wrong with an unreadable line", () => {
    expect(parseWsDumpLine("garbage")).toBe("line does not match the ws.dump format");
    expect(
      parseWsDumpLine("9: ws:1.2.3.4:1 -> ws:1.2.3.4:2 (state: WEIRD,  last used 0s ago, sub-protocol: sip)"),
    ).toBe('unknown state "WEIRD"');
  });
});

describe("ul.dump", () => {
  it("idle: the location domain with no AORs", () => {
    expect(ulDump("ul.dump.idle.json")).toEqual([{ domain: "location", size: 1024, records: 0, aors: [] }]);
    expect(ulBrief("ul.dump.brief-idle.json")).toEqual([{ domain: "location", records: 0, aors: [] }]);
  });

  it("registered: AORs and contacts with the real key names", () => {
    const [domain] = ulDump("ul.dump.registered.json");
    expect(domain?.aors.map((a) => a.aor)).toEqual(["1046", "1047", "1045", "1048"]);
    const contacts = flattenContacts(ulDump("ul.dump.registered.json"));
    expect(contacts).toHaveLength(6);
    const wss = contacts.find((c) => c.tcpconnId === 27);
    expect(wss).toMatchObject({
      aor: "1047",
      domain: "location",
      address: "sip:1047@9097023992.invalid;transport=wss",
      expires: 600,
      expiresState: "active",
      userAgent: "kamdash-capture/1.0 (wss)",
      // Kamailio records WSS clients with transport=ws in Received; the socket tells WSS from WS.
      received: "sip:127.0.0.1:44390;transport=ws",
      socket: "tls:127.0.0.1:8443",
      path: null,
      instance: null,
      keepalive: true,
      q: -1,
    });
    expect(contacts.find((c) => c.tcpconnId === 26)?.socket).toBe("tcp:127.0.0.1:8080");
  });

  it("joins every contact to a ws.dump connection by Tcpconn-Id", () => {
    const wsIds = new Set(wsDump("ws.dump.clients.json").connections.map((c) => c.id));
    const contacts = flattenContacts(ulDump("ul.dump.registered.json"));
    expect(contacts.every((c) => wsIds.has(c.tcpconnId))).toBe(true);
  });

  it("brief: the same AORs without contacts", () => {
    expect(ulBrief("ul.dump.brief-registered.json")).toEqual([
      { domain: "location", records: 4, aors: ["1046", "1047", "1045", "1048"] },
    ]);
  });
});
