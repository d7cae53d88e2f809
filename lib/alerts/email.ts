import nodemailer from "nodemailer";
import type { AlertNotification } from "./notification";
import type { AttemptResult } from "./retry";

// Optional e-mail delivery through SMTP (nodemailer). Plain text only: node names and messages are not HTML.

export type EmailSettings = { smtpUrl: string; to: string[]; from: string };

/** Subject and text of the mail for one notification. */
export function composeEmail(n: AlertNotification): { subject: string; text: string } {
  const what = n.event === "firing" ? "FIRING" : "RESOLVED";
  const subject = `[kamdash ${n.severity}] ${what}: ${n.rule}${n.node ? ` on ${n.node}` : " (fleet)"}`;
  const text = [
    n.message,
    "",
    `event: ${n.event}`,
    `rule: ${n.rule} (${n.metric})`,
    `node: ${n.node ?? "fleet"}`,
    `value: ${n.value ?? "unknown"}`,
    `threshold: ${n.comparator} ${n.threshold} (clears at ${n.clearThreshold})`,
    `at: ${n.at}`,
    `fired at: ${n.firedAt ?? "—"}`,
  ].join("\n");
  return { subject, text };
}

/** One attempt to send the mail (the SMTP transport is made per attempt: no pooled connection to go stale). */
export async function sendAlertEmail(settings: EmailSettings, n: AlertNotification): Promise<AttemptResult> {
  const transport = nodemailer.createTransport(settings.smtpUrl);
  try {
    const { subject, text } = composeEmail(n);
    await transport.sendMail({ from: settings.from, to: settings.to, subject, text });
    return { ok: true, httpStatus: null, error: null };
  } catch (error) {
    return { ok: false, httpStatus: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    transport.close();
  }
}
