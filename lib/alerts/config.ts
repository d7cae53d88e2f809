import { z } from "zod";

// Where alert notifications go, from the environment (read once per engine):
//   KAMDASH_ALERT_WEBHOOKS         comma-separated http(s) URLs; each gets every firing / resolved event
//   KAMDASH_ALERT_WEBHOOK_SECRET   HMAC-SHA256 key for X-Kamdash-Signature (required when webhooks are set)
//   KAMDASH_SMTP_URL               e.g. smtp://user:pass@mail.example.org:587 (nodemailer transport URL)
//   KAMDASH_ALERT_EMAIL_TO         comma-separated recipients; e-mail is sent only when this and the URL are set
//   KAMDASH_ALERT_EMAIL_FROM       sender (default kamdash@localhost)

export type AlertDeliveryConfig = {
  webhooks: string[];
  webhookSecret: string | null;
  email: { smtpUrl: string; to: string[]; from: string } | null;
};

const list = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
  );
const httpUrl = z.url({ protocol: /^https?$/, error: "each webhook must be an http(s) URL" });

const EnvSchema = z
  .object({
    KAMDASH_ALERT_WEBHOOKS: list.pipe(z.array(httpUrl)),
    KAMDASH_ALERT_WEBHOOK_SECRET: z.string().min(16, "at least 16 characters").optional(),
    KAMDASH_SMTP_URL: z.url({ protocol: /^smtps?$/, error: "an smtp:// or smtps:// URL" }).optional(),
    KAMDASH_ALERT_EMAIL_TO: list.pipe(z.array(z.email())),
    KAMDASH_ALERT_EMAIL_FROM: z.string().min(3).default("kamdash@localhost"),
  })
  .refine((env) => env.KAMDASH_ALERT_WEBHOOKS.length === 0 || env.KAMDASH_ALERT_WEBHOOK_SECRET, {
    path: ["KAMDASH_ALERT_WEBHOOK_SECRET"],
    message: "required when KAMDASH_ALERT_WEBHOOKS is set (receivers verify the signature)",
  });

/** The delivery settings; throws a ZodError naming the variable when one is malformed. */
export function alertDeliveryConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): AlertDeliveryConfig {
  const parsed = EnvSchema.parse({
    KAMDASH_ALERT_WEBHOOKS: env.KAMDASH_ALERT_WEBHOOKS,
    KAMDASH_ALERT_WEBHOOK_SECRET: env.KAMDASH_ALERT_WEBHOOK_SECRET || undefined,
    KAMDASH_SMTP_URL: env.KAMDASH_SMTP_URL || undefined,
    KAMDASH_ALERT_EMAIL_TO: env.KAMDASH_ALERT_EMAIL_TO,
    KAMDASH_ALERT_EMAIL_FROM: env.KAMDASH_ALERT_EMAIL_FROM || undefined,
  });
  const email =
    parsed.KAMDASH_SMTP_URL && parsed.KAMDASH_ALERT_EMAIL_TO.length > 0
      ? {
          smtpUrl: parsed.KAMDASH_SMTP_URL,
          to: parsed.KAMDASH_ALERT_EMAIL_TO,
          from: parsed.KAMDASH_ALERT_EMAIL_FROM,
        }
      : null;
  return {
    webhooks: parsed.KAMDASH_ALERT_WEBHOOKS,
    webhookSecret: parsed.KAMDASH_ALERT_WEBHOOK_SECRET ?? null,
    email,
  };
}

/** A URL as it may be shown and stored: without user:password@ and without the query string. */
export function displayTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
