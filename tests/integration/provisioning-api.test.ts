import { describe, expect, it } from "vitest";
import * as password from "@/app/api/v1/subscribers/[aor]/password/route";
import * as item from "@/app/api/v1/subscribers/[aor]/route";
import * as exporter from "@/app/api/v1/subscribers/export/route";
import * as collection from "@/app/api/v1/subscribers/route";
import { subscriberHashes } from "@/lib/provisioning/hash";
import { readLab } from "../support/lab";
import { auditRows, bearerHeaders, callRoute, setupAdminDatabase } from "./admin-support";
import { OTHER_DOMAIN, setupProvisioning, storedRows, tableChecksum } from "./provisioning-support";

// The subscriber API on the lab's Kamailio database: hashes as kamctl stores them, permissions, audit without
// secrets, conflicts under concurrency, and 200+ bad inputs that each get a 4xx with a field and change nothing.

setupAdminDatabase();
setupProvisioning();

const none = {};
const add = async (headers: Record<string, string>, body: unknown) =>
  callRoute(collection.POST, "POST", "/api/v1/subscribers", none, { headers, body });
const aorPath = (aor: string) => `/api/v1/subscribers/${encodeURIComponent(aor)}`;

describe("subscriber API", () => {
  it("adds, lists, shows, changes the password of and removes a subscriber; audited without the password", async () => {
    const op = await bearerHeaders("operator");
    const domain = readLab().domain;
    const secret = `pa"ss'w:o@rd-ü`;
    const created = await add(op, { username: "kd9-api1", domain, password: secret });
    expect(created.status).toBe(201);
    const aor = `kd9-api1@${domain}`;
    expect(await created.json()).toEqual({ aor });
    const [row] = await storedRows("kd9-api1");
    expect(row).toEqual({
      username: "kd9-api1",
      domain,
      password: "",
      ...subscriberHashes({ username: "kd9-api1", domain, password: secret, realm: domain }),
    });

    const viewer = await bearerHeaders("viewer");
    const listed = await callRoute(collection.GET, "GET", "/api/v1/subscribers?q=KD9-API", none, {
      headers: viewer,
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({
      rows: [{ aor, username: "kd9-api1", domain, createdBy: null }],
      total: 1,
      page: 1,
      pageSize: 50,
    });
    const shown = await callRoute(
      item.GET,
      "GET",
      aorPath(aor),
      { aor: encodeURIComponent(aor) },
      { headers: viewer },
    );
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ aor, registrations: [], connections: [] });
    expect((await add(viewer, { username: "kd9-api2", domain, password: "long enough" })).status).toBe(403);

    const changed = await callRoute(
      password.POST,
      "POST",
      `${aorPath(aor)}/password`,
      { aor },
      {
        headers: op,
        body: { generate: true },
      },
    );
    expect(changed.status).toBe(200);
    const { generatedPassword } = (await changed.json()) as { generatedPassword: string };
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await storedRows("kd9-api1"))[0]?.ha1).toBe(
      subscriberHashes({ username: "kd9-api1", domain, password: generatedPassword, realm: domain }).ha1,
    );

    const csv = await callRoute(exporter.GET, "GET", "/api/v1/subscribers/export", none, { headers: viewer });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\n")[0]).toBe("username,domain");
    expect(text).toContain(`kd9-api1,${domain}\n`);
    expect(text).not.toContain((await storedRows("kd9-api1"))[0]?.ha1 ?? "?");

    const removed = await callRoute(item.DELETE, "DELETE", aorPath(aor), { aor }, { headers: op });
    expect(await removed.json()).toEqual({ aor, registrationsDropped: 0, socketsClosed: 0, failures: [] });
    expect(await storedRows("kd9-api1")).toEqual([]);
    const again = await callRoute(item.DELETE, "DELETE", aorPath(aor), { aor }, { headers: op });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: `no subscriber ${aor}` });

    const audit = await auditRows();
    expect(audit.map((r) => [r.actor, r.action, r.target])).toEqual([
      ["token:operator-script", "subscriber.add", `subscriber:${aor}`],
      ["token:operator-script", "subscriber.passwd", `subscriber:${aor}`],
      ["token:operator-script", "subscriber.remove", `subscriber:${aor}`],
    ]);
    const dump = JSON.stringify(audit, (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('pa\\"ss');
    expect(dump).not.toContain(generatedPassword);
  });

  it("20 concurrent adds of one user: exactly one row, one 201 and 19 clear 409s", async () => {
    const op = await bearerHeaders("operator");
    const body = { username: "kd9-race", domain: OTHER_DOMAIN, password: "race password" };
    const responses = await Promise.all(Array.from({ length: 20 }, () => add(op, body)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    const conflict = responses.find((r) => r.status === 409);
    expect(await conflict?.json()).toEqual({ error: `subscriber kd9-race@${OTHER_DOMAIN} already exists` });
    expect(await storedRows("kd9-race")).toHaveLength(1);
  });

  it("refuses 200+ bad inputs with a 4xx naming the field, leaving the table unchanged", async () => {
    const op = await bearerHeaders("operator");
    const domain = readLab().domain;
    expect((await add(op, { username: "kd9-dup", domain, password: "duplicate pw" })).status).toBe(201);
    const before = await tableChecksum();

    const illegal = [
      " ",
      '"',
      "#",
      "<",
      ">",
      "@",
      ":",
      "[",
      "]",
      "\\",
      "^",
      "`",
      "{",
      "|",
      "}",
      "é",
      "😀",
      "\t",
      "\n",
      "\u0000",
    ];
    const fragments = [
      "' OR '1'='1",
      "'; DROP TABLE subscriber;--",
      "1 UNION SELECT ha1 FROM subscriber",
      '" OR ""="',
      "<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "</td><b>x</b>",
      "\u0024{jndi:ldap://x}",
      "{{7*7}}",
      "a%zz",
      "%",
      "",
    ];
    type Case = { body: Record<string, unknown>; field: "username" | "domain" | "password" | null };
    const cases: Case[] = [];
    for (const ch of illegal)
      for (const name of [`kd9-${ch}`, `${ch}kd9`, `kd9${ch}x${ch}`, `kd9-a${ch}${ch}`, `${ch}${ch}`])
        cases.push({ body: { username: name, domain, password: "long enough" }, field: "username" });
    for (const f of fragments) {
      cases.push({
        body: { username: f === "" ? "" : `kd9-${f}`, domain, password: "long enough" },
        field: "username",
      });
      cases.push({
        body: { username: "kd9-frag", domain: `${f}`, password: "long enough" },
        field: "domain",
      });
    }
    for (const n of [65, 100, 1000, 10_000])
      cases.push({
        body: { username: `kd9-${"x".repeat(n)}`, domain, password: "long enough" },
        field: "username",
      });
    for (const d of [
      "evil.org",
      "127.0.0.2",
      "example.org",
      `${OTHER_DOMAIN}.evil`,
      "x".repeat(65),
      "localhost",
      " ",
    ])
      cases.push({ body: { username: "kd9-dom", domain: d, password: "long enough" }, field: "domain" });
    for (const d of [domain, OTHER_DOMAIN])
      for (const p of [
        "",
        "a",
        "1234567",
        "short",
        "kd9-same",
        "tab\there!",
        "nul\u0000nul!",
        "x".repeat(129),
      ])
        cases.push({ body: { username: "kd9-same", domain: d, password: p }, field: "password" });
    for (const ch of illegal)
      cases.push({
        body: { username: "kd9-dom", domain: `${domain}${ch}`, password: "long enough" },
        field: "domain",
      });
    for (const wrong of [123, true, ["kd9-a"], { a: 1 }])
      cases.push({ body: { username: wrong, domain, password: "long enough" }, field: "username" });
    cases.push({ body: { username: "kd9-nopw", domain }, field: "password" });
    cases.push({ body: {}, field: "username" });
    for (let i = 0; i < 30; i += 1)
      cases.push({ body: { username: "kd9-dup", domain, password: `other password ${i}` }, field: null });
    expect(cases.length).toBeGreaterThanOrEqual(200);

    for (const c of cases) {
      const response = await add(op, c.body);
      const label = JSON.stringify(c.body);
      const body = (await response.json()) as { error?: unknown; fields?: Record<string, string> };
      expect(response.status, label).toBeGreaterThanOrEqual(400);
      expect(response.status, label).toBeLessThan(500);
      expect(typeof body.error, label).toBe("string");
      if (c.field) expect(body.fields?.[c.field], label).toMatch(/\w/);
      if (c.field === null && response.status === 409) expect(body.error).toContain("already exists");
    }
    expect(await tableChecksum()).toBe(before);
    expect((await auditRows()).map((r) => r.action)).toEqual(["subscriber.add"]);
  });
});
