import { describe, expect, it } from "vitest";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { flattenContacts, parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { parseWsDump } from "@/lib/kamailio/methods/ws-dump";
import { legTransport } from "@/lib/troubleshoot/bridge-direction";
import { connectionRows } from "@/lib/troubleshoot/connection-rows";
import { dialogCounts, dialogRows } from "@/lib/troubleshoot/dialog-rows";
import { IpFilterError, ipMatcher } from "@/lib/troubleshoot/ip-filter";
import {
  connectionQuerySchema,
  contactIp,
  dialogQuerySchema,
  queryConnections,
  queryDialogs,
  queryRegistrations,
  registrationQuerySchema,
} from "@/lib/troubleshoot/queries";
import { registrationRows } from "@/lib/troubleshoot/registration-rows";
import { fixtureResult } from "./rpc-fixtures";

// Rows built from one capture of the lab (tests/fixtures/rpc README: 8 clients, 6 registered, a confirmed WSS→WS
// call and an early WS→WSS call), through the same parsers the poller uses.

const connections = parseCoreTcpList(fixtureResult("core.tcp_list.clients.json", "core.tcp_list"));
const contacts = flattenContacts(parseUlDump(fixtureResult("ul.dump.registered.json", "ul.dump")));
const ws = parseWsDump(fixtureResult("ws.dump.clients.json", "ws.dump")).connections;
const dialogs = parseDlgList(fixtureResult("dlg.list.calls.json", "dlg.list"));

describe("connection rows", () => {
  const rows = connectionRows("lab", connections, contacts, ws);

  it("join each connection to the AORs registered through it (Tcpconn-Id) and ws.dump's details", () => {
    expect(rows).toHaveLength(connections.length);
    const row26 = rows.find((r) => r.id === 26);
    expect(row26).toMatchObject({
      transport: "WS",
      sourcePort: 48660,
      aors: ["1048"],
      lastUsedS: 0,
      awaitingPong: false,
    });
    const rpc = rows.find((r) => r.transport === "TCP");
    expect(rpc).toMatchObject({ aors: [], userAgent: null, lastUsedS: null, awaitingPong: null });
  });

  it("leave ws.dump's fields null (not known), never false or 0, without ws.dump", () => {
    const without = connectionRows("lab", connections, contacts, null);
    expect(without.every((r) => r.lastUsedS === null && r.awaitingPong === null)).toBe(true);
  });

  it("filter by transport, user and CIDR, page on the server, and count per source IP", () => {
    const wss = queryConnections(rows, connectionQuerySchema.parse({ transport: "WSS", pageSize: "10" }));
    expect(wss.total).toBe(connections.filter((c) => c.type === "WSS").length);
    const byUser = queryConnections(rows, connectionQuerySchema.parse({ user: "1046" }));
    expect(byUser.rows.map((r) => r.id).sort()).toEqual([29, 32]);
    const none = queryConnections(rows, connectionQuerySchema.parse({ ip: "10.0.0.0/8" }));
    expect(none.total).toBe(0);
    const all = queryConnections(rows, connectionQuerySchema.parse({ ip: "127.0.0.0/8" }));
    expect(all.bySourceIp).toEqual([{ key: "127.0.0.1", count: connections.length }]);
    const paged = queryConnections(
      rows,
      connectionQuerySchema.parse({ pageSize: 10, page: 9, sort: "id", dir: "desc" }),
    );
    expect(paged.page).toBe(1); // clamped to the last page
    expect(paged.rows[0]?.id).toBe(Math.max(...connections.map((c) => c.id)));
  });

  it("refuse a bad IP filter with a readable message", () => {
    const parsed = connectionQuerySchema.safeParse({ ip: "10.0.0.0/33" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ["ip"],
      message: expect.stringMatching(/not an IP address or a CIDR/),
    });
    expect(() => ipMatcher("host.example")).toThrow(IpFilterError);
    expect(() => ipMatcher("1001")).toThrow(IpFilterError); // inet_aton would read 0.0.3.233
    expect(() => ipMatcher("1001/8")).toThrow(IpFilterError);
    expect(ipMatcher("10.0.0.0/8")("::ffff:10.1.2.3")).toBe(true);
  });
});

describe("registration rows", () => {
  it("mark a contact whose connection is gone, and only that one", () => {
    const open = connections.filter((c) => c.id !== 27);
    const rows = registrationRows("lab", contacts, open);
    expect(rows.filter((r) => r.connectionGone).map((r) => [r.aor, r.connectionId])).toEqual([["1047", 27]]);
    const gone = queryRegistrations(rows, registrationQuerySchema.parse({ gone: "1" }));
    expect(gone.total).toBe(1);
    expect(rows.find((r) => r.connectionId === 27)?.transport).toBe("wss");
    expect(rows.find((r) => r.connectionId === 26)?.transport).toBe("ws");
  });

  it("read the IP a contact registered from (received, else the contact)", () => {
    expect(contactIp({ received: "sip:10.1.2.3:40312;transport=ws", contact: "sip:x@a.invalid" })).toBe(
      "10.1.2.3",
    );
    expect(contactIp({ received: null, contact: "sip:1001@[2001:db8::1]:5060" })).toBe("2001:db8::1");
  });
});

describe("dialog rows", () => {
  const rows = dialogRows("lab", dialogs, 1795692130);

  it("name states, derive the bridge direction from the legs, count early and confirmed", () => {
    const confirmed = rows.find((r) => r.state === "confirmed");
    expect(confirmed).toMatchObject({ direction: "wss→ws", durationS: 0 });
    const early = rows.find((r) => r.state === "early");
    expect(early?.durationS).toBeNull(); // not answered: no duration, not 0
    expect(dialogCounts(rows)).toEqual({ early: 1, confirmed: 1 });
    expect(queryDialogs(rows, dialogQuerySchema.parse({ state: "early" })).total).toBe(1);
  });

  it("read a leg's transport from set_contact_alias, then transport=ws on a TLS socket, then the socket", () => {
    const leg = { tag: null, cseq: null, routeSet: null };
    expect(
      legTransport({
        ...leg,
        contact: "sip:a@b.invalid;transport=ws;alias=1.2.3.4~5~6",
        socket: "tls:x:8443",
      }),
    ).toBe("wss");
    expect(legTransport({ ...leg, contact: "sip:a@b.invalid;transport=ws", socket: "tls:x:8443" })).toBe(
      "wss",
    );
    expect(legTransport({ ...leg, contact: "sip:a@b.invalid;transport=ws", socket: "tcp:x:8080" })).toBe(
      "ws",
    );
    expect(legTransport({ ...leg, contact: "sip:1001@10.0.0.5:5060", socket: "udp:x:5060" })).toBe("udp");
    expect(legTransport({ ...leg, contact: null, socket: null })).toBeNull();
  });
});
