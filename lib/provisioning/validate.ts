import type { FieldErrors } from "./types";

// What SIP and Kamailio accept, checked before anything is written; each rejection is one message per field.

/**
 * RFC 3261 §25.1 user part: unreserved (alphanum and - _ . ! ~ * ' ( )), user-unreserved (& = + $ , ; ? /) and
 * escaped (%HH). Anything else (space, ", <, >, @, :, non-ASCII…) is not a SIP user part.
 */
const SIP_USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
/** C0 controls and DEL (a NUL cannot even be stored by PostgreSQL). */
function hasControl(text: string): boolean {
  return [...text].some((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
}

export type ValidationRules = {
  /** Served domains, lower case. */
  domains: readonly string[];
  minPasswordLength: number;
  /** The username column's length (character varying(n)); 64 in Kamailio's schema. */
  usernameMax: number;
  /** The domain column's length. */
  domainMax: number;
  /** The password column's length when clear text is stored, else null (only hashes are written). */
  passwordMax: number | null;
};

/** Hashing has no limit, but a password must stay typeable; this bounds it when clear text is not stored. */
const PASSWORD_HARD_MAX = 128;

export function validateUsername(username: string, max: number): string | undefined {
  if (username === "") return "is required";
  if (username.length > max) return `must be at most ${max} characters (it has ${username.length})`;
  if (!SIP_USER.test(username)) {
    const bad = [...username].find((ch) => !SIP_USER.test(ch) && ch !== "%");
    return bad === undefined
      ? "has a % not followed by two hex digits"
      : `may hold only letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? / or %HH (not ${JSON.stringify(bad)})`;
  }
  return undefined;
}

export function validateDomain(
  domain: string,
  rules: Pick<ValidationRules, "domains" | "domainMax">,
): string | undefined {
  if (domain === "") return "is required";
  if (domain.length > rules.domainMax) return `must be at most ${rules.domainMax} characters`;
  if (rules.domains.length === 0) return "no served domains are configured (set KAMDASH_SIP_DOMAINS)";
  if (!rules.domains.includes(domain.toLowerCase()))
    return `is not served by this Kamailio (served: ${rules.domains.join(", ")})`;
  return undefined;
}

export function validatePassword(
  password: string,
  username: string,
  rules: Pick<ValidationRules, "minPasswordLength" | "passwordMax">,
): string | undefined {
  const length = [...password].length;
  if (length === 0) return "is required";
  if (length < rules.minPasswordLength) return `must be at least ${rules.minPasswordLength} characters`;
  const max = rules.passwordMax ?? PASSWORD_HARD_MAX;
  if (length > max) return `must be at most ${max} characters`;
  if (hasControl(password)) return "must not contain control characters (tabs, new lines…)";
  if (password === username) return "must not be the username";
  return undefined;
}

/** Every field's message; empty when the input may be written. `domain` is compared case-insensitively. */
export function validateSubscriber(
  input: { username: string; domain: string; password: string },
  rules: ValidationRules,
): FieldErrors {
  const errors: FieldErrors = {};
  const username = validateUsername(input.username, rules.usernameMax);
  const domain = validateDomain(input.domain, rules);
  const password = validatePassword(input.password, input.username, rules);
  if (username) errors.username = username;
  if (domain) errors.domain = domain;
  if (password) errors.password = password;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/**
 * "user@domain", "sip:user@domain" or (with a default domain) "user" → its parts; null when it is not one.
 * The user part holds no "@" (not a SIP user character), so the first "@" splits.
 */
export function parseAor(text: string, defaultDomain?: string): { username: string; domain: string } | null {
  const bare = text.trim().replace(/^sips?:/i, "");
  const at = bare.indexOf("@");
  if (at === -1) return defaultDomain && bare !== "" ? { username: bare, domain: defaultDomain } : null;
  const username = bare.slice(0, at);
  const domain = bare.slice(at + 1);
  if (username === "" || domain === "") return null;
  return { username, domain };
}
