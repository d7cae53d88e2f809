import { z } from "zod";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { checkPasswordPolicy, hashPassword } from "./password";
import { type Role, roleSchema } from "./permissions";
import { deleteSessionsOf } from "./sessions";

// Operators: the people who sign in. Usernames are stored lower-case, so sign-in is case-insensitive.

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._@-]{0,63}$/,
    "Username: 1–64 of a-z 0-9 . _ @ -, starting with a letter or digit",
  );

export const passwordSchema = z.string().superRefine((password, context) => {
  const violation = checkPasswordPolicy(password);
  if (violation) context.addIssue({ code: "custom", message: violation });
});

export const createOperatorInput = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema.default("viewer"),
});
export type CreateOperatorInput = z.input<typeof createOperatorInput>;

export type OperatorInfo = { id: number; username: string; role: string; disabled: boolean; createdAt: Date };

function toInfo(row: OperatorInfo & { passwordHash?: string }): OperatorInfo {
  const { id, username, role, disabled, createdAt } = row;
  return { id, username, role, disabled, createdAt };
}

export async function createOperator(input: CreateOperatorInput): Promise<OperatorInfo> {
  const { username, password, role } = createOperatorInput.parse(input);
  const passwordHash = await hashPassword(password);
  const db = await getDb();
  return toInfo(await db.operator.create({ data: { username, passwordHash, role } }));
}

export async function listOperators(): Promise<OperatorInfo[]> {
  const db = await getDb();
  return (await db.operator.findMany({ orderBy: { username: "asc" } })).map(toInfo);
}

/** Sets a new password and signs the operator out everywhere. False when there is no such operator. */
export async function setOperatorPassword(username: string, password: string): Promise<boolean> {
  const name = usernameSchema.parse(username);
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  const db = await getDb();
  const row = await db.operator.findUnique({ where: { username: name } });
  if (!row) return false;
  await db.operator.update({ where: { id: row.id }, data: { passwordHash } });
  await deleteSessionsOf(row.id);
  return true;
}

/** Changes role and/or disabled; existing sessions end so the change applies at once. */
export async function updateOperator(
  username: string,
  change: { role?: Role; disabled?: boolean },
): Promise<OperatorInfo | null> {
  const name = usernameSchema.parse(username);
  const db = await getDb();
  const row = await db.operator.findUnique({ where: { username: name } });
  if (!row) return null;
  const updated = await db.operator.update({ where: { id: row.id }, data: change });
  await deleteSessionsOf(row.id);
  return toInfo(updated);
}

export type FirstAdminResult =
  | { status: "created"; username: string }
  | { status: "exists" }
  | { status: "not_configured" };

/**
 * At start-up: when no operator exists and KAMDASH_ADMIN_PASSWORD is set, create the first admin (named
 * KAMDASH_ADMIN_USER, default "admin"). Never touches existing operators. A password that breaks the policy is a
 * configuration error and throws, so start-up fails loudly instead of leaving an unusable dashboard.
 */
export async function ensureFirstAdmin(
  env: Record<string, string | undefined> = process.env,
): Promise<FirstAdminResult> {
  const db = await getDb();
  if ((await db.operator.count()) > 0) return { status: "exists" };
  const password = env.KAMDASH_ADMIN_PASSWORD;
  // the caller says what to do (the start-up log line with /setup and its code): not an error on a first run
  if (!password) return { status: "not_configured" };
  const parsed = createOperatorInput.safeParse({
    username: env.KAMDASH_ADMIN_USER || "admin",
    password,
    role: "admin",
  });
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new Error(`KAMDASH_ADMIN_USER/KAMDASH_ADMIN_PASSWORD rejected: ${reasons}`);
  }
  try {
    const admin = await createOperator(parsed.data);
    log.info({ username: admin.username }, `created the first admin operator "${admin.username}"`);
    return { status: "created", username: admin.username };
  } catch (error) {
    // Another replica starting at the same moment may have created it first.
    if ((error as { code?: unknown }).code === "P2002") return { status: "exists" };
    throw error;
  }
}
