import { describe, expect, it } from "vitest";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { flattenContacts, parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { connectionRows } from "@/lib/troubleshoot/connection-rows";
import { dialogRows } from "@/lib/troubleshoot/dialog-rows";
import { parseFilters } from "@/lib/troubleshoot/parse-filters";
import { connectionQuerySchema } from "@/lib/troubleshoot/queries";
import { registrationRows } from "@/lib/troubleshoot/registration-rows";
import { resolveSearch, userPart } from "@/lib/troubleshoot/search";
import { fixtureResult } from "./rpc-fixtures";

const connections = parseCoreTcpList(fixtureResult("core.tcp_list.clients.json", "core.tcp_list"));
const contacts = flattenContacts(parseUlDump(fixtureResult("ul.dump.registered.json", "ul.dump")));
const dialogs = parseDlgList(fixtureResult("dlg.list.calls.json", "dlg.list"));
const rows = {
  registrations: registrationRows("lab", contacts, connections),
  connections: connectionRows("lab", connections, contacts, null),
  dialogs: dialogRows("lab", dialogs, 1795692130),
};

describe("the search box", () => {
  it("sends an IP or a CIDR range to the connections page", () => {
    expect(resolveSearch("127.0.0.1", rows).redirect).toBe("/connections?ip=127.0.0.1");
    expect(resolveSearch("10.0.0.0/8", rows).redirect).toBe("/connections?ip=10.0.0.0%2F8");
  });

  it("sends a registered user (by AOR, user part or SIP URI) to its page", () => {
    for (const q of ["1046", " 1046 ", "sip:1046@127.0.0.1"])
      expect(resolveSearch(q, rows).redirect).toBe("/users/1046");
  });

  it("sends a live Call-ID to the dialogs page", () => {
    const callId = dialogs[0]?.callId ?? "";
    expect(resolveSearch(callId, rows).redirect).toBe(`/dialogs?callId=${encodeURIComponent(callId)}`);
  });

  it("offers a choice for a prefix matching several users, and nothing for an unknown Call-ID", () => {
    const several = resolveSearch("104", rows);
    expect(several.redirect).toBeNull();
    expect(several.matches.map((m) => m.kind === "user" && m.aor)).toEqual(["1045", "1046", "1047", "1048"]);
    expect(resolveSearch("nobody@x.invalid", rows)).toEqual({ redirect: null, matches: [] });
    expect(userPart("sips:alice@example.org;transport=ws")).toBe("alice");
  });
});

describe("page filters", () => {
  it("keep the good filters and report the bad one by field", () => {
    const { query, errors } = parseFilters(connectionQuerySchema, {
      transport: "WSS",
      ip: "300.1.1.1",
      page: "x",
    });
    expect(query.transport).toBe("WSS");
    expect(query.ip).toBeUndefined();
    expect(query.page).toBe(1);
    expect(Object.keys(errors).sort()).toEqual(["ip", "page"]);
    expect(errors.ip).toMatch(/not an IP address or a CIDR range/);
  });
});
