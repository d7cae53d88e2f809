import type { AlertNotification } from "./notification";
import type { AttemptResult } from "./retry";
import { SIGNATURE_HEADER, signBody } from "./signature";

/** How long one webhook POST may take, ms (then it counts as a failed attempt). */
export const WEBHOOK_TIMEOUT_MS = 5000;

/**
 * One POST of `notification` as JSON to `url`, signed with `secret` (X-Kamdash-Signature: t=…,v1=…).
 * Any 2xx is delivered; anything else (status, network error, timeout) is a failed attempt.
 */
export async function postWebhook(
  url: string,
  secret: string,
  notification: AlertNotification,
  nowS: number = Math.floor(Date.now() / 1000),
): Promise<AttemptResult> {
  const body = JSON.stringify(notification);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "kamdash-alerts",
        [SIGNATURE_HEADER]: signBody(secret, body, nowS),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, httpStatus: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return {
      ok: false,
      httpStatus: null,
      error: `${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
}
