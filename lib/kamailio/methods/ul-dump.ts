import { z } from "zod";
import {
  checkReply,
  describeOptions,
  type Entry,
  int,
  isInt,
  list,
  nested,
  number,
  object,
  string,
  unexpected,
} from "./fast-check";

export const UL_DUMP = "ul.dump";

/** usrloc prints this for an empty string field. */
const NOT_SET = "[not set]";
const orNull = (value: string) => (value === NOT_SET || value === "" ? null : value);
const optionalText = z.string().transform(orNull);
const EXPIRES_WORDS = ["permanent", "expired", "deleted"] as const;
type ExpiresWord = (typeof EXPIRES_WORDS)[number];

export const ulContactRawSchema = z.object({
  Address: z.string(),
  /** Seconds left, or "permanent" / "expired" / "deleted". */
  Expires: z.union([z.number().int(), z.enum(EXPIRES_WORDS)]),
  Q: z.number(),
  "Call-ID": z.string(),
  CSeq: z.number().int(),
  "User-Agent": optionalText,
  Received: optionalText,
  Path: optionalText,
  State: z.string(),
  Flags: z.number().int(),
  CFlags: z.number().int(),
  Socket: optionalText,
  Methods: z.number().int(),
  Ruid: optionalText,
  Instance: optionalText,
  "Reg-Id": z.number().int(),
  "Server-Id": z.number().int(),
  "Tcpconn-Id": z.number().int(),
  Keepalive: z.number().int(),
  "Last-Keepalive": z.number().int(),
  "KA-Roundtrip": z.number().int().optional(),
  "Last-Modified": z.number().int(),
});

export interface UlContact {
  address: string;
  /** Seconds until expiry; null for permanent, expired or deleted contacts (see `expiresState`). */
  expires: number | null;
  expiresState: "active" | "permanent" | "expired" | "deleted";
  q: number;
  callId: string;
  cseq: number;
  userAgent: string | null;
  /** Where the REGISTER really came from, e.g. "sip:127.0.0.1:40312;transport=ws" (NAT/WS), else null. */
  received: string | null;
  path: string | null;
  /** Kamailio's local socket the contact is reachable through, e.g. "tls:127.0.0.1:8443". */
  socket: string | null;
  /** TCP connection id (core.tcp_list `id`, ws.dump id); -1 when the contact is not bound to one. */
  tcpconnId: number;
  instance: string | null;
  regId: number;
  ruid: string | null;
  keepalive: boolean;
  lastKeepalive: number;
  /** Keepalive round trip in ms (5.6+), null when not reported. */
  keepaliveRoundtripMs: number | null;
  lastModified: number;
  methods: number;
  flags: number;
  cflags: number;
  state: string;
}

export interface UlAor {
  aor: string;
  hashId: number;
  contacts: UlContact[];
}

export interface UlDomain {
  domain: string;
  size: number;
  aors: UlAor[];
  records: number;
}

const toContact = (raw: z.infer<typeof ulContactRawSchema>): UlContact => ({
  address: raw.Address,
  expires: typeof raw.Expires === "number" ? raw.Expires : null,
  expiresState: typeof raw.Expires === "number" ? "active" : raw.Expires,
  q: raw.Q,
  callId: raw["Call-ID"],
  cseq: raw.CSeq,
  userAgent: raw["User-Agent"],
  received: raw.Received,
  path: raw.Path,
  socket: raw.Socket,
  tcpconnId: raw["Tcpconn-Id"],
  instance: raw.Instance,
  regId: raw["Reg-Id"],
  ruid: raw.Ruid,
  keepalive: raw.Keepalive !== 0,
  lastKeepalive: raw["Last-Keepalive"],
  keepaliveRoundtripMs: raw["KA-Roundtrip"] ?? null,
  lastModified: raw["Last-Modified"],
  methods: raw.Methods,
  flags: raw.Flags,
  cflags: raw.CFlags,
  state: raw.State,
});

const aorRawSchema = z.object({
  Info: z.object({
    AoR: z.string(),
    HashID: z.number().int(),
    Contacts: z.array(z.object({ Contact: ulContactRawSchema.transform(toContact) })),
  }),
});

const statsSchema = z.object({ Records: z.number().int(), "Max-Slots": z.number().int() });

const domainRawSchema = z.object({
  Domain: z.string(),
  Size: z.number().int(),
  AoRs: z.array(aorRawSchema),
  Stats: statsSchema,
});

const briefDomainRawSchema = z.object({
  Domain: z.string(),
  Size: z.number().int(),
  AoRs: z.array(z.object({ AoR: z.string() })),
  Stats: statsSchema,
});

/** Kamailio 5.6 wraps every usrloc domain: `{Domains: [{Domain: {Domain: "location", Size, AoRs, Stats}}]}`. */
const wrapped = <T extends z.ZodType>(domain: T) =>
  z.object({ Domains: z.array(z.object({ Domain: domain })) });

// The zod schemas below are the reference for the hand check parseUlDump/parseUlDumpBrief run instead
// (tests/unit/rpc-fast-parsers.test.ts: same output, same error paths). They are not run on replies.

export const ulDumpSchema = wrapped(domainRawSchema).transform(({ Domains }) =>
  Domains.map(({ Domain: d }) => d).map(
    (d): UlDomain => ({
      domain: d.Domain,
      size: d.Size,
      records: d.Stats.Records,
      aors: d.AoRs.map((a) => ({
        aor: a.Info.AoR,
        hashId: a.Info.HashID,
        contacts: a.Info.Contacts.map((c) => c.Contact),
      })),
    }),
  ),
);

export interface UlBriefDomain {
  domain: string;
  aors: string[];
  records: number;
}

export const ulDumpBriefSchema = wrapped(briefDomainRawSchema).transform(({ Domains }) =>
  Domains.map(({ Domain: d }) => d).map(
    (d): UlBriefDomain => ({ domain: d.Domain, aors: d.AoRs.map((a) => a.AoR), records: d.Stats.Records }),
  ),
);

// Hand check: fields in the zod schemas' order, so the first mismatch is the one zod would name.

/** A usrloc text field: null when unset. */
const text = (value: unknown, key: string) => orNull(string(value, key));
const isExpiresWord = (value: unknown): value is ExpiresWord => EXPIRES_WORDS.includes(value as ExpiresWord);

function readContact(raw: Entry): UlContact {
  const address = string(raw.Address, "Address");
  const expires = raw.Expires;
  if (!isInt(expires) && !isExpiresWord(expires))
    throw unexpected(expires, "Expires", `int or ${describeOptions(EXPIRES_WORDS)}`);
  const q = number(raw.Q, "Q");
  const callId = string(raw["Call-ID"], "Call-ID");
  const cseq = int(raw.CSeq, "CSeq");
  const userAgent = text(raw["User-Agent"], "User-Agent");
  const received = text(raw.Received, "Received");
  const path = text(raw.Path, "Path");
  const state = string(raw.State, "State");
  const flags = int(raw.Flags, "Flags");
  const cflags = int(raw.CFlags, "CFlags");
  const socket = text(raw.Socket, "Socket");
  const methods = int(raw.Methods, "Methods");
  const ruid = text(raw.Ruid, "Ruid");
  const instance = text(raw.Instance, "Instance");
  const regId = int(raw["Reg-Id"], "Reg-Id");
  int(raw["Server-Id"], "Server-Id");
  const tcpconnId = int(raw["Tcpconn-Id"], "Tcpconn-Id");
  const keepalive = int(raw.Keepalive, "Keepalive") !== 0;
  const lastKeepalive = int(raw["Last-Keepalive"], "Last-Keepalive");
  const roundtrip = raw["KA-Roundtrip"];
  const keepaliveRoundtripMs = roundtrip === undefined ? null : int(roundtrip, "KA-Roundtrip");
  const lastModified = int(raw["Last-Modified"], "Last-Modified");
  return {
    address,
    expires: typeof expires === "number" ? expires : null,
    expiresState: typeof expires === "number" ? "active" : expires,
    q,
    callId,
    cseq,
    userAgent,
    received,
    path,
    socket,
    tcpconnId,
    instance,
    regId,
    ruid,
    keepalive,
    lastKeepalive,
    keepaliveRoundtripMs,
    lastModified,
    methods,
    flags,
    cflags,
    state,
  };
}

const readContactItem = (item: unknown) => nested(object(item).Contact, "Contact", readContact);

const readAorInfo = (info: Entry): UlAor => {
  const aor = string(info.AoR, "AoR");
  const hashId = int(info.HashID, "HashID");
  return { aor, hashId, contacts: list(info.Contacts, "Contacts", readContactItem) };
};

const readRecords = (stats: Entry) => {
  const records = int(stats.Records, "Records");
  int(stats["Max-Slots"], "Max-Slots");
  return records;
};

/** A domain's name, size and record count around its AoRs, read by `readAor`. */
const readDomain =
  <A>(readAor: (item: unknown) => A) =>
  (item: unknown) =>
    nested(object(item).Domain, "Domain", (d) => {
      const domain = string(d.Domain, "Domain");
      const size = int(d.Size, "Size");
      const aors = list(d.AoRs, "AoRs", readAor);
      return { domain, size, records: nested(d.Stats, "Stats", readRecords), aors };
    });

const readFullDomain = readDomain((item) => nested(object(item).Info, "Info", readAorInfo));
const readBriefDomain = readDomain((item) => string(object(item).AoR, "AoR"));

/**
 * Checks and maps the reply by hand, not with ulDumpSchema: on 100,000 contacts (58 MB) zod took ~380 ms on top of
 * JSON.parse's ~220 ms, this ~50 ms (npm run bench -- --parsers). A mismatch is an invalid_reply error naming the
 * field, e.g. `Domains[0].Domain.AoRs[2].Info.Contacts[0].Contact.Expires`.
 */
export function parseUlDump(result: unknown, nodeUrl = ""): UlDomain[] {
  return checkReply(UL_DUMP, nodeUrl, result, (reply) =>
    list(object(reply).Domains, "Domains", readFullDomain),
  );
}

/**
 * `ul.dump brief`: AORs only, no contacts. Measured on the lab with ~300 WS/WSS contacts: 0.8 KB in ~3 ms
 * against 167 KB in ~16.5 ms for the full dump (scripts/capture/measure-ul-dump.ts).
 */
export function parseUlDumpBrief(result: unknown, nodeUrl = ""): UlBriefDomain[] {
  return checkReply(UL_DUMP, nodeUrl, result, (reply) =>
    list(object(reply).Domains, "Domains", readBriefDomain).map(({ domain, aors, records }) => ({
      domain,
      aors,
      records,
    })),
  );
}

/** All contacts of all domains, each with its AOR: the shape most callers want. */
export function flattenContacts(
  domains: readonly UlDomain[],
): (UlContact & { aor: string; domain: string })[] {
  return domains.flatMap((d) =>
    d.aors.flatMap((a) => a.contacts.map((c) => ({ ...c, aor: a.aor, domain: d.domain }))),
  );
}
