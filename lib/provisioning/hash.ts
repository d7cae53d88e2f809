import { createHash, randomInt } from "node:crypto";
import type { SubscriberHash } from "./types";

// The digest credentials Kamailio's auth_db reads from the subscriber table, computed exactly as kamctl and kamcli
// store them: ha1 = H(username:realm:password), ha1b = H(username@domain:realm:password), over UTF-8 bytes,
// lower-case hex. H is MD5, or SHA-256 for Kamailio 6.1+ (auth `algorithm`, kamctl CMDHASH).

export type SubscriberHashes = { ha1: string; ha1b: string };

function digest(algorithm: SubscriberHash, text: string): string {
  return createHash(algorithm).update(Buffer.from(text, "utf8")).digest("hex");
}

export function subscriberHashes(
  input: { username: string; domain: string; password: string; realm: string },
  algorithm: SubscriberHash = "md5",
): SubscriberHashes {
  const { username, domain, password, realm } = input;
  return {
    ha1: digest(algorithm, `${username}:${realm}:${password}`),
    ha1b: digest(algorithm, `${username}@${domain}:${realm}:${password}`),
  };
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A strong random password: 20 characters from 57 unambiguous letters and digits (about 116 bits). */
export function generatePassword(length = 20): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
