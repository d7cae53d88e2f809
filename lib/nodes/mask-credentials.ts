const SECRET = "***";

/**
 * A KAMAILIO_NODES entry as error messages may quote it: the password of `user:password@` replaced by `***`.
 * Entries are quoted because they are malformed, so this works on text that is no valid URL, and it masks rather
 * too much than too little (an "@" in a query string also hides what precedes it):
 * - `edge=http://user:pass@host/RPC` → `edge=http://user:***@host/RPC`
 * - `edge=http://user:pa` (a password cut at an unencoded ",") → `edge=http://user:***` (a port must be digits)
 * - `ss@host/RPC` (the rest of that password, read as the next entry) → `***@host/RPC`
 */
export function maskEntryCredentials(entry: string): string {
  // "name=" (no ':', '/' or '@' in it) and "scheme://", both optional
  const lead = /^([^=:/@]*=)?([A-Za-z][A-Za-z0-9+.-]*:\/\/)?/.exec(entry);
  const prefix = lead?.[0] ?? "";
  const hasScheme = lead?.[2] !== undefined;
  const rest = entry.slice(prefix.length);
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const colon = rest.indexOf(":");
    if (colon >= 0 && colon < at) return `${prefix}${rest.slice(0, colon)}:${SECRET}${rest.slice(at)}`;
    // user@host is no secret; without a scheme, what precedes "@" may be the tail of a split password
    return hasScheme ? entry : `${prefix}${SECRET}${rest.slice(at)}`;
  }
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const colon = authority.indexOf(":");
  if (colon >= 0 && !/^\d*$/.test(authority.slice(colon + 1))) {
    return `${prefix}${authority.slice(0, colon)}:${SECRET}${rest.slice(authority.length)}`;
  }
  return entry;
}
