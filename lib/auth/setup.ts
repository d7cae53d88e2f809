import { randomInt } from "node:crypto";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/log";
import { passwordSchema, usernameSchema } from "./operators";
import { hashPassword } from "./password";
import { consumeAll, createLimiter } from "./rate-limit";
import { createSession, type NewSession } from "./sessions";
import { isLocalRequest, type RequestOrigin } from "./setup-peer";

// First-run setup (as Grafana and Uptime Kuma do it): while no operator exists, /setup creates the first admin.
// From this machine (isLocalRequest) that is all it takes; from anywhere else it also takes the one-time setup
// code the server printed in its log at start. Once an operator exists, setup is gone: the page and the API
// answer 404. The code lives in this process only (a restart prints a new one) and dies with the first admin.

const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L
const CODE_GROUPS = 3;
const CODE_GROUP_LENGTH = 4;

type SetupState = { code: string | null; byAddress: RateLimiterAbstract; total: RateLimiterAbstract };
const stateKey = Symbol.for("kamdash.auth.setup");
type GlobalWithSetup = typeof globalThis & { [stateKey]?: SetupState };

function state(): SetupState {
  const g = globalThis as GlobalWithSetup;
  // 10 wrong codes in 15 minutes per client address and in total: ~59 bits of code cannot be guessed that way.
  // In memory on purpose: the code itself lives in this process only (each replica prints its own).
  const limit = { points: 10, durationS: 15 * 60 };
  g[stateKey] ??= {
    code: null,
    byAddress: createLimiter({ kind: "memory" }, { prefix: "setup-ip", ...limit }),
    total: createLimiter({ kind: "memory" }, { prefix: "setup-all", ...limit }),
  };
  return g[stateKey];
}

/** A fresh code, "ABCD-EFGH-JKMN" (12 of 31 letters and digits, ~59 bits). */
export function newSetupCode(): string {
  const groups = Array.from({ length: CODE_GROUPS }, () =>
    Array.from({ length: CODE_GROUP_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

/** Upper case, dashes and spaces dropped: how a typed code is compared. */
function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

export async function operatorsExist(): Promise<boolean> {
  return (await (await getDb()).operator.count()) > 0;
}

/**
 * At start-up, when no operator exists: make this process's setup code and print it with where to go.
 * `origin` is where the server listens (e.g. http://127.0.0.1:3000) when known.
 */
export async function announceSetup(origin: string | undefined): Promise<string | null> {
  if (await operatorsExist()) return null;
  const s = state();
  s.code ??= newSetupCode();
  const page = `${origin ?? ""}/setup`;
  log.info(
    `no operator exists yet: create the first admin at ${page} in a browser on this machine, ` +
      `or from elsewhere with the one-time setup code ${s.code} (or run \`npx kamdash admin create <username>\`)`,
  );
  return s.code;
}

/** The form and the API body: the first admin's name and password, and the code when not on this machine. */
export const setupInput = z.object({
  username: usernameSchema,
  password: passwordSchema,
  code: z.string().trim().max(64, "The setup code is 12 letters and digits").optional(),
});
export type SetupInput = z.input<typeof setupInput>;

export type SetupDone = { operator: { id: number; username: string; role: "admin" }; session: NewSession };

/** The setup decision on its own: allowed from this machine, or with this process's code (rate-limited). */
export async function checkSetupAccess(request: RequestOrigin, code: string | undefined): Promise<void> {
  if (isLocalRequest(request)) return;
  if (code === undefined || code === "") {
    throw new ApiError(403, "From another machine, setup needs the setup code printed in the server's log", {
      code: "forbidden",
    });
  }
  const s = state();
  const address = request.clientAddress ?? request.peerAddress ?? "unknown";
  const decision = await consumeAll([
    [s.byAddress, address],
    [s.total, "all"],
  ]);
  if (!decision.allowed) {
    throw new ApiError(429, `Too many wrong setup codes; try again in ${decision.retryAfterSeconds} s`, {
      headers: { "retry-after": String(decision.retryAfterSeconds) },
    });
  }
  if (s.code === null || normalizeCode(code) !== normalizeCode(s.code)) {
    throw new ApiError(403, "Wrong setup code: copy it from the server's log (a restart prints a new one)", {
      code: "forbidden",
    });
  }
  await Promise.all([s.byAddress.reward(address, 1), s.total.reward("all", 1)]);
}

const gone = () => new ApiError(404, "Setup is done: an operator exists. Sign in at /login");

/**
 * Creates the first admin and signs them in. 404 once any operator exists (checked again under a lock, so two
 * concurrent setups make one admin), 403/429 when the request may not set up, 422 for a bad name or password.
 */
export async function completeSetup(input: unknown, request: RequestOrigin): Promise<SetupDone> {
  if (await operatorsExist()) throw gone();
  const { username, password, code } = setupInput.parse(input);
  await checkSetupAccess(request, code);
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  const operator = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kamdash-first-admin'))`;
    if ((await tx.operator.count()) > 0) return null;
    return tx.operator.create({ data: { username, passwordHash, role: "admin" } });
  });
  if (operator === null) throw gone();
  state().code = null;
  log.info(
    `first admin "${operator.username}" created on /setup (${isLocalRequest(request) ? "from this machine" : "with the setup code"})`,
  );
  const session = await createSession(operator.id);
  return { operator: { id: operator.id, username: operator.username, role: "admin" }, session };
}
