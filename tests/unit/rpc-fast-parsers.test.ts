// The hand checks of core.tcp_list and ul.dump (lib/kamailio/methods/fast-check.ts) against the zod schemas they
// replaced: same output on every captured reply, and on every single-field corruption of them either the same
// output or an invalid_reply error with the same fieldPath.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { KamailioRpcError, parseReply } from "@/lib/kamailio/errors";
import { CORE_TCP_LIST, coreTcpListSchema, parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import {
  parseUlDump,
  parseUlDumpBrief,
  UL_DUMP,
  ulDumpBriefSchema,
  ulDumpSchema,
} from "@/lib/kamailio/methods/ul-dump";
import { FIXTURE_NODE, fixtureFailure, fixtureResult } from "./rpc-fixtures";

type Json = Record<string, unknown>;
type Parse = (result: unknown, nodeUrl?: string) => unknown;

interface Subject {
  method: string;
  fast: Parse;
  schema: z.ZodType;
  fixtures: string[];
}

const SUBJECTS: Subject[] = [
  {
    method: CORE_TCP_LIST,
    fast: parseCoreTcpList,
    schema: coreTcpListSchema,
    fixtures: ["core.tcp_list.idle.json", "core.tcp_list.clients.json", "core.tcp_list.many.json"],
  },
  {
    method: UL_DUMP,
    fast: parseUlDump,
    schema: ulDumpSchema,
    fixtures: ["ul.dump.idle.json", "ul.dump.registered.json"],
  },
  {
    method: UL_DUMP,
    fast: parseUlDumpBrief,
    schema: ulDumpBriefSchema,
    fixtures: ["ul.dump.brief-idle.json", "ul.dump.brief-registered.json"],
  },
];

type Outcome = { ok: true; value: unknown } | { ok: false; error: KamailioRpcError };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof KamailioRpcError) return { ok: false, error };
    throw error;
  }
}

const viaZod = (s: Subject, result: unknown) =>
  outcome(() => parseReply(s.schema, result, s.method, FIXTURE_NODE));
const viaFast = (s: Subject, result: unknown) => outcome(() => s.fast(result, FIXTURE_NODE));

/** Every path to a value inside `value` (object keys and array indexes), parents before children. */
function paths(value: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value !== "object" || value === null) return [];
  const keys: PropertyKey[] = Array.isArray(value) ? value.map((_v, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [
    [...prefix, key],
    ...paths((value as Record<PropertyKey, unknown>)[key], [...prefix, key]),
  ]);
}

const DELETE = Symbol("delete");

/** A copy of `root` with the value at `path` replaced (or the key deleted). */
function corrupt(root: unknown, path: readonly PropertyKey[], value: unknown): unknown {
  const copy = structuredClone(root);
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Json)[key as string], copy) as Json;
  const last = path.at(-1) as string;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return copy;
}

// Wrong types, values only one branch accepts (Expires words, "[not set]"), non-integers, unsafe integers.
const REPLACEMENTS: unknown[] = [
  DELETE,
  "x",
  "permanent",
  "[not set]",
  "",
  1.5,
  -1,
  2 ** 53,
  null,
  true,
  [],
  {},
];
// zod's own words for these mismatches; the hand check says the same (enum, union and int say more).
const SAME_WORDS = /^[^:]+: expected (number|string|object|array), received \w+$/;

describe.each(SUBJECTS)("$fast.name against its zod schema", (subject) => {
  it.each(subject.fixtures)("%s: same output", (name) => {
    const result = fixtureResult(name, subject.method);
    expect(subject.fast(result, FIXTURE_NODE)).toEqual(parseReply(subject.schema, result, subject.method));
  });

  it("every single-field corruption: same output, or an invalid_reply with the same fieldPath", () => {
    const fixture = subject.fixtures.at(-1) as string;
    const result = fixtureResult(fixture, subject.method);
    let failures = 0;
    for (const path of [[], ...paths(result)]) {
      for (const replacement of REPLACEMENTS) {
        const input = path.length === 0 ? replacement : corrupt(result, path, replacement);
        const [zod, fast] = [viaZod(subject, input), viaFast(subject, input)];
        const where = `${fixture} ${JSON.stringify(path)} = ${String(replacement)}`;
        expect(fast.ok, where).toBe(zod.ok);
        if (zod.ok && fast.ok) expect(fast.value, where).toEqual(zod.value);
        if (!zod.ok && !fast.ok) {
          failures += 1;
          expect(fast.error.kind, where).toBe("invalid_reply");
          expect(fast.error.fieldPath, where).toBe(zod.error.fieldPath);
          if (SAME_WORDS.test(zod.error.detail)) expect(fast.error.detail, where).toBe(zod.error.detail);
        }
      }
    }
    expect(failures).toBeGreaterThan(100);
  });

  it("several corruptions at once: the first in zod's order is the one named", () => {
    const fixture = subject.fixtures.at(-1) as string;
    const result = fixtureResult(fixture, subject.method);
    const all = paths(result);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      let input = result;
      for (let k = 0; k < 3; k++) {
        const path = all[random(all.length)] ?? [];
        if (paths(input).some((p) => JSON.stringify(p) === JSON.stringify(path)))
          input = corrupt(input, path, REPLACEMENTS[random(REPLACEMENTS.length)]);
      }
      const [zod, fast] = [viaZod(subject, input), viaFast(subject, input)];
      expect(fast.ok).toBe(zod.ok);
      if (!zod.ok && !fast.ok) expect(fast.error.fieldPath).toBe(zod.error.fieldPath);
    }
  });
});

const registered = () => fixtureResult("ul.dump.registered.json", UL_DUMP) as Json;
const contactAt = (reply: Json, aor: number, contact = 0) => {
  const domain = (reply.Domains as { Domain: { AoRs: { Info: { Contacts: { Contact: Json }[] } }[] } }[])[0];
  const found = domain?.Domain.AoRs[aor]?.Info.Contacts[contact]?.Contact;
  if (!found) throw new Error(`fixture has no contact ${aor}/${contact}`);
  return found;
};
const ulFailure = (reply: unknown) => fixtureFailure(() => parseUlDump(reply, FIXTURE_NODE));
const tcpList = () => fixtureResult("core.tcp_list.clients.json", CORE_TCP_LIST) as Json[];
const tcpFailure = (reply: unknown) => fixtureFailure(() => parseCoreTcpList(reply, FIXTURE_NODE));

describe("core.tcp_list: a bad entry deep in the list", () => {
  it("a string port in entry 2", () => {
    const reply = tcpList();
    (reply[2] as Json).src_port = "48666";
    const error = tcpFailure(reply);
    expect(error).toMatchObject({ kind: "invalid_reply", method: CORE_TCP_LIST, fieldPath: "[2].src_port" });
    expect(error.message).toBe(
      `core.tcp_list on ${FIXTURE_NODE}: [2].src_port: expected number, received string`,
    );
  });

  it("an unknown type, a fractional and a NaN number say what was expected", () => {
    const reply = tcpList();
    (reply[2] as Json).type = "SCTP";
    expect(tcpFailure(reply).detail).toBe(
      '[2].type: expected one of "TCP"|"TLS"|"WS"|"WSS"|"UNKNOWN", received "SCTP"',
    );
    (reply[2] as Json).type = "WS";
    (reply[4] as Json).timeout = 1.5;
    expect(tcpFailure(reply).detail).toBe("[4].timeout: expected int, received 1.5");
    (reply[4] as Json).timeout = Number.NaN; // not from JSON, but the parse function takes any value
    expect(tcpFailure(reply).detail).toBe("[4].timeout: expected number, received NaN");
  });

  it("an entry that is not an object, and a reply that is not a list", () => {
    const reply: unknown[] = tcpList();
    reply[3] = "26: ws";
    expect(tcpFailure(reply)).toMatchObject({
      fieldPath: "[3]",
      detail: "[3]: expected object, received string",
    });
    expect(tcpFailure({})).toMatchObject({
      fieldPath: "(reply)",
      detail: "(reply): expected array, received object",
    });
  });
});

describe("ul.dump: a bad contact in the 2nd AOR", () => {
  const at = "Domains[0].Domain.AoRs[1].Info.Contacts[0].Contact";

  it("an Expires that is neither a number nor a known word", () => {
    const reply = registered();
    contactAt(reply, 1).Expires = "soon";
    const error = ulFailure(reply);
    expect(error).toMatchObject({ kind: "invalid_reply", method: UL_DUMP, fieldPath: `${at}.Expires` });
    expect(error.detail).toBe(
      `${at}.Expires: expected int or one of "permanent"|"expired"|"deleted", received "soon"`,
    );
  });

  it("a fractional CSeq, a string Tcpconn-Id, a null KA-Roundtrip", () => {
    for (const [field, value, expected] of [
      ["CSeq", 2.5, "expected int, received 2.5"],
      ["Tcpconn-Id", "27", "expected number, received string"],
      ["KA-Roundtrip", null, "expected number, received null"],
      ["Q", Number.NaN, "expected number, received NaN"],
      ["Socket", 8443, "expected string, received number"],
    ] as const) {
      const reply = registered();
      contactAt(reply, 1)[field] = value;
      expect(ulFailure(reply).detail).toBe(`${at}.${field}: ${expected}`);
    }
  });

  it("the 2nd contact of the 3rd AOR, and a wrapper without Contact", () => {
    const reply = registered();
    delete contactAt(reply, 2, 1).State;
    expect(ulFailure(reply).fieldPath).toBe("Domains[0].Domain.AoRs[2].Info.Contacts[1].Contact.State");
    const wrappers = (reply.Domains as { Domain: { AoRs: { Info: { Contacts: Json[] } }[] } }[])[0]?.Domain
      .AoRs;
    wrappers?.[0]?.Info.Contacts.splice(1, 1, { contact: {} });
    expect(ulFailure(reply)).toMatchObject({
      fieldPath: "Domains[0].Domain.AoRs[0].Info.Contacts[1].Contact",
      detail: "Domains[0].Domain.AoRs[0].Info.Contacts[1].Contact: expected object, received undefined",
    });
  });
});

describe("ul.dump: what each Kamailio version prints", () => {
  it("Expires words, unset text fields, no KA-Roundtrip (before 5.6)", () => {
    const reply = registered();
    Object.assign(contactAt(reply, 0), { Expires: "permanent", Path: "", Instance: "<urn:uuid:1>" });
    Object.assign(contactAt(reply, 1), { Expires: "deleted", Received: "[not set]" });
    delete contactAt(reply, 2)["KA-Roundtrip"];
    const [domain] = parseUlDump(reply);
    const [first, second, third] = domain?.aors.map((a) => a.contacts[0]) ?? [];
    expect(first).toMatchObject({
      expires: null,
      expiresState: "permanent",
      path: null,
      instance: "<urn:uuid:1>",
    });
    expect(second).toMatchObject({ expires: null, expiresState: "deleted", received: null });
    expect(third).toMatchObject({ expires: 600, expiresState: "active", keepaliveRoundtripMs: null });
    expect(parseUlDump(reply)).toEqual(ulDumpSchema.parse(reply));
  });
});
