import { log } from "@/lib/log";
import type { Db } from "@/lib/metrics/db";
import type { AlertDeliveryConfig } from "./config";
import { displayTarget } from "./config";
import { sendAlertEmail } from "./email";
import type { AlertNotification, DeliveryAttempt } from "./notification";
import { type AttemptResult, withRetries } from "./retry";
import { postWebhook } from "./webhook";

// Sends one notification to every configured webhook and to the e-mail recipients, each on its own retry
// schedule (lib/alerts/retry.ts), and records every attempt in alert_delivery.

export type Deliver = (notification: AlertNotification) => Promise<void>;

export type DeliverOptions = {
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
};

async function recordAttempt(db: Db, n: AlertNotification, attempt: DeliveryAttempt): Promise<void> {
  await db.alertDelivery.create({
    data: { ruleId: n.ruleId, node: n.node ?? "", event: n.event, ...attempt },
  });
  if (attempt.finalAttempt && !attempt.ok) {
    log.error(
      { ...(n.node ? { node: n.node } : {}), rule: n.rule, event: n.event, target: attempt.target },
      `alerts: gave up delivering ${n.event} "${n.rule}" to ${attempt.target}: ${attempt.error}`,
    );
  }
}

export function createDeliver(db: Db, config: AlertDeliveryConfig, options: DeliverOptions = {}): Deliver {
  return async (notification) => {
    const jobs: Promise<boolean>[] = [];
    const run = (
      channel: DeliveryAttempt["channel"],
      target: string,
      attempt: () => Promise<AttemptResult>,
    ) =>
      withRetries(attempt, {
        ...options,
        onAttempt: (n, result, final) =>
          recordAttempt(db, notification, { channel, target, attempt: n, ...result, finalAttempt: final }),
      });
    const secret = config.webhookSecret;
    if (secret) {
      for (const url of config.webhooks) {
        jobs.push(run("webhook", displayTarget(url), () => postWebhook(url, secret, notification)));
      }
    }
    const email = config.email;
    if (email) jobs.push(run("email", email.to.join(", "), () => sendAlertEmail(email, notification)));
    await Promise.all(jobs);
  };
}
