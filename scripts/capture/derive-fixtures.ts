// npx tsx scripts/capture/derive-fixtures.ts
// Writes the DERIVED fixtures (tests/fixtures/rpc/*.derived-*.json / *.malformed-*.*) by editing copies of the
// captured ones, so that re-capturing and re-deriving keeps them consistent. Nothing here talks to the lab.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const dir = "tests/fixtures/rpc";
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Reply = { jsonrpc: string; result: Json; id: Json };

async function load(name: string): Promise<Reply> {
  return JSON.parse(await readFile(path.join(dir, name), "utf8")) as Reply;
}

async function save(name: string, content: string): Promise<void> {
  await writeFile(path.join(dir, name), content);
  console.log(`wrote ${path.join(dir, name)}`);
}

const asObject = (value: Json | undefined): { [key: string]: Json } => {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("expected an object");
  return value;
};
const asArray = (value: Json | undefined): Json[] => {
  if (!Array.isArray(value)) throw new Error("expected an array");
  return value;
};

// dlg.list: the second dialog's call-id becomes a number (wrong type).
const dialogs = await load("dlg.list.calls.json");
asObject(asArray(dialogs.result)[1])["call-id"] = 4711;
await save("dlg.list.malformed-wrong-type.json", JSON.stringify(dialogs));

// ul.dump: the first contact of the second AOR loses its Tcpconn-Id (missing field).
const ul = await load("ul.dump.registered.json");
const domain = asObject(asObject(asArray(asObject(ul.result).Domains)[0]).Domain);
const contact = asObject(
  asObject(asArray(asObject(asObject(asArray(domain.AoRs)[1]).Info).Contacts)[0]).Contact,
);
delete contact["Tcpconn-Id"];
await save("ul.dump.malformed-missing-field.json", JSON.stringify(ul));

// ws.dump: the third line loses its state part (a line the parser cannot read).
const ws = await load("ws.dump.clients.json");
const lines = asArray(asObject(ws.result).connections);
lines[2] = String(lines[2]).replace(/ \(state: .*$/, "");
await save("ws.dump.malformed-bad-line.json", JSON.stringify(ws));

// core.tcp_list: the reply cut off in the middle (truncated JSON).
const tcp = await readFile(path.join(dir, "core.tcp_list.clients.json"), "utf8");
await save("core.tcp_list.malformed-truncated.json", tcp.slice(0, Math.floor(tcp.length / 2)));

// stats.fetch: a value sent as a number instead of a decimal string.
const stats = await load("stats.fetch.calls.json");
asObject(stats.result)["dialog.active_dialogs"] = 1;
await save("stats.fetch.malformed-number-value.json", JSON.stringify(stats));

// cnt.grp_get_all: a counter value that is not a number.
const bridge = await load("cnt.grp_get_all.bridge-calls.json");
asObject(bridge.result).wss_ws_relayed = "lots";
await save("cnt.grp_get_all.malformed-bad-value.json", JSON.stringify(bridge));

// rtpengine.show: `disabled` with a value no Kamailio version sends.
const show = await load("rtpengine.show.all-up.json");
asObject(asArray(show.result)[0]).disabled = "maybe";
await save("rtpengine.show.malformed-wrong-type.json", JSON.stringify(show));

// An HTML error page where JSON was expected (e.g. a reverse proxy in front of Kamailio).
await save(
  "error.html-page.malformed-http-404.html",
  "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
);

// rtpengine.show in the Kamailio 6.x shape, built from the captured 5.6 node list following the 6.x source
// (rtpengine.c add_rtpp_node_info: `disabled` bool = permanently disabled, `active` bool, recheck_ticks -1 when
// permanent). DERIVED, not captured: this lab runs 5.6. Three nodes: up, disabled by hand, failed and re-checking.
const captured = asObject(asArray(show.result)[0]);
const v6 = {
  jsonrpc: "2.0",
  result: [
    { ...captured, disabled: false, active: true, recheck_ticks: 0 },
    { ...captured, url: "udp:127.0.0.1:22232", index: 1, disabled: true, active: false, recheck_ticks: -1 },
    { ...captured, url: "udp:127.0.0.1:22242", index: 2, disabled: false, active: false, recheck_ticks: 57 },
  ],
  id: show.id,
};
await save("rtpengine.show.derived-6x.json", JSON.stringify(v6));
