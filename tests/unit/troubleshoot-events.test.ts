import { describe, expect, it } from "vitest";
import { parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { flattenContacts, parseUlDump } from "@/lib/kamailio/methods/ul-dump";
import { connectionEvents, dialogEvents, registrationEvents } from "@/lib/troubleshoot/list-events";
import { fixtureResult } from "./rpc-fixtures";

// Successive lab captures (tests/fixtures/rpc README): idle, 8 clients with 6 registered, two calls, after the BYE.

const tcp = (name: string) => parseCoreTcpList(fixtureResult(`core.tcp_list.${name}.json`, "core.tcp_list"));
const contacts = (name: string) =>
  flattenContacts(parseUlDump(fixtureResult(`ul.dump.${name}.json`, "ul.dump")));
const dialogs = (name: string) => parseDlgList(fixtureResult(`dlg.list.${name}.json`, "dlg.list"));

describe("events from successive lists", () => {
  it("one opened event per new connection, one closed per gone one, none for what stayed", () => {
    const idle = tcp("idle");
    const clients = tcp("clients");
    const events = connectionEvents(idle, clients);
    const newIds = clients.filter((c) => !idle.some((i) => i.id === c.id)).map((c) => c.id);
    const goneIds = idle.filter((i) => !clients.some((c) => c.id === i.id)).map((i) => i.id);
    const ids = (kind: string) => events.filter((e) => e.kind === kind).map((e) => e.detail.connectionId);
    expect(ids("connection_opened")).toEqual(newIds);
    expect(ids("connection_closed")).toEqual(goneIds); // the idle capture's own RPC connection
    expect(events).toHaveLength(newIds.length + goneIds.length);
    expect(connectionEvents(clients, clients)).toEqual([]);
    const closed = connectionEvents(clients, idle);
    expect(closed.filter((e) => e.kind === "connection_closed")).toHaveLength(
      clients.filter((c) => !idle.some((i) => i.id === c.id)).length,
    );
  });

  it("one added event per new contact; removed (not expired) when it leaves long before its expiry", () => {
    const registered = contacts("registered");
    expect(registered.length).toBeGreaterThan(0);
    const added = registrationEvents(contacts("idle"), registered, 2);
    expect(added).toHaveLength(registered.length);
    expect(added[0]).toMatchObject({ kind: "registration_added", detail: { aor: registered[0]?.aor } });
    const removed = registrationEvents(registered, contacts("idle"), 2);
    expect(removed.map((e) => e.kind)).toEqual(registered.map(() => "registration_removed"));
    const expired = registrationEvents(registered, contacts("idle"), 4_000);
    expect(expired.map((e) => e.kind)).toEqual(registered.map(() => "registration_expired"));
    expect(registrationEvents(registered, registered, 2)).toEqual([]);
  });

  it("dialogs start once and end once, with a duration only for an answered call", () => {
    const calls = dialogs("calls");
    const started = dialogEvents(dialogs("idle"), calls, 1795692130);
    expect(started.map((e) => e.kind)).toEqual(["dialog_started", "dialog_started"]);
    const ended = dialogEvents(calls, dialogs("after-bye"), 1795692140);
    expect(ended.map((e) => e.kind)).toEqual(["dialog_ended", "dialog_ended"]);
    const durations = ended.map((e) => e.detail.durationS);
    expect(durations.filter((d) => d === null)).toHaveLength(1); // the early call: never answered
    expect(durations.filter((d) => typeof d === "number" && d >= 0)).toHaveLength(1);
    expect(dialogEvents(calls, calls, 1795692130)).toEqual([]);
  });
});
