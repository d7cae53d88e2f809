"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { csrfHeaders } from "@/lib/auth/csrf-client";
import { useActionReport } from "./action-outcomes";

type Outcome = { ok: boolean; message: string };

/**
 * A button for one operator action: asks for confirmation in place ("End call … ?  Yes / No"), calls the action
 * route with the CSRF header, shows Kamailio's answer (here and in the page's <ActionOutcomes>, under `subject`,
 * since the refreshed data may drop this row) and refreshes the page's data.
 */
export function ActionButton({
  label,
  confirmText,
  url,
  method = "POST",
  body,
  subject,
}: {
  label: string;
  /** What the action is on, as plain text (e.g. "End call <Call-ID>"): the page-level outcome's title. */
  subject: string;
  /** The question asked before anything is sent (plain text). */
  confirmText: string;
  url: string;
  method?: "POST" | "PATCH";
  body?: unknown;
}) {
  const router = useRouter();
  const report = useActionReport();
  const [stage, setStage] = useState<"idle" | "confirm" | "busy">("idle");
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function run() {
    setStage("busy");
    try {
      const response = await fetch(url, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...csrfHeaders() },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as { ok?: boolean; message?: string; error?: { message: string } };
      const answer = response.ok
        ? { ok: json.ok === true, message: json.message ?? "" }
        : { ok: false, message: json.error?.message ?? `HTTP ${response.status}` };
      setOutcome(answer);
      report?.({ subject, ...answer });
      router.refresh();
    } catch (error) {
      const answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
      setOutcome(answer);
      report?.({ subject, ...answer });
    } finally {
      setStage("idle");
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2 text-xs">
      {stage === "confirm" ? (
        <>
          <span data-testid="action-confirm">{confirmText}</span>
          <button type="button" className="font-medium text-red-600" onClick={run}>
            Yes
          </button>
          <button type="button" onClick={() => setStage("idle")}>
            No
          </button>
        </>
      ) : (
        <button
          type="button"
          disabled={stage === "busy"}
          className="rounded border border-tremor-border px-2 py-0.5 hover:border-tremor-brand"
          onClick={() => {
            setOutcome(null);
            setStage("confirm");
          }}
        >
          {stage === "busy" ? "…" : label}
        </button>
      )}
      {outcome ? (
        <span role="status" className={outcome.ok ? "text-emerald-700" : "text-red-600"}>
          {outcome.message}
        </span>
      ) : null}
    </span>
  );
}
