import type { ConnectionRow } from "./connection-rows";
import type { DialogRow } from "./dialog-rows";
import { isCidrText, isIpAddressText } from "./ip-filter";
import type { RegistrationRow } from "./registration-rows";

// The global search box: a user, an IP (or CIDR) or a Call-ID, resolved against what the nodes hold right now.

export type SearchTarget =
  | { kind: "user"; aor: string; href: string }
  | { kind: "ip"; ip: string; href: string }
  | { kind: "call"; callId: string; node: string; href: string };

export type SearchResult = {
  /** Where to go straight away: exactly one thing matched. */
  redirect: string | null;
  /** Every match, for a choice page (empty: nothing matched). */
  matches: SearchTarget[];
};

/** The user part of an AOR or SIP URI: "sip:1001@example.org;x=y" → "1001". */
export function userPart(uri: string): string {
  return uri.replace(/^sips?:/i, "").split(/[@;>]/)[0] ?? "";
}

const userHref = (aor: string) => `/users/${encodeURIComponent(aor)}`;

/**
 * Resolves `text` (trimmed, at most 1024 characters). IPs and CIDR ranges go to the connections page filtered by
 * it; a Call-ID of a live dialog to the dialogs page; a user (AOR, "1001", "sip:1001@…") to its user page. Users
 * and calls are matched exactly, then users by prefix (at most 20).
 */
export function resolveSearch(
  text: string,
  rows: {
    registrations: readonly RegistrationRow[];
    connections: readonly ConnectionRow[];
    dialogs: readonly DialogRow[];
  },
): SearchResult {
  const q = text.trim().slice(0, 1024);
  if (!q) return { redirect: null, matches: [] };
  if (isIpAddressText(q) || isCidrText(q)) {
    const href = `/connections?ip=${encodeURIComponent(q)}`;
    return { redirect: href, matches: [{ kind: "ip", ip: q, href }] };
  }
  const calls = rows.dialogs
    .filter((d) => d.callId === q)
    .map(
      (d): SearchTarget => ({
        kind: "call",
        callId: d.callId,
        node: d.node,
        href: `/dialogs?callId=${encodeURIComponent(d.callId)}`,
      }),
    );
  const aors = new Set<string>();
  for (const r of rows.registrations) aors.add(r.aor);
  for (const c of rows.connections) for (const a of c.aors) aors.add(a);
  const wanted = userPart(q).toLowerCase();
  const exact = [...aors].filter(
    (a) => a.toLowerCase() === q.toLowerCase() || userPart(a).toLowerCase() === wanted,
  );
  const users = (exact.length > 0 ? exact : [...aors].filter((a) => a.toLowerCase().startsWith(wanted)))
    .sort()
    .slice(0, 20)
    .map((aor): SearchTarget => ({ kind: "user", aor, href: userHref(aor) }));
  const matches = [...calls, ...users];
  if (matches.length === 1) return { redirect: matches[0]?.href ?? null, matches };
  if (matches.length === 0 && /^[\w.!~*'()&=+$,;?/-]+$/.test(q) && !q.includes("@"))
    // not registered now: the user page still shows its recent events
    return { redirect: userHref(q), matches: [{ kind: "user", aor: q, href: userHref(q) }] };
  return { redirect: null, matches };
}
