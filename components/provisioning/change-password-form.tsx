"use client";

import { type FormEvent, useState } from "react";
import type { FieldErrors } from "@/lib/provisioning/types";
import { callApi, passwordResultSchema, subscriberPath } from "./api";
import { GeneratedPassword } from "./generated-password";
import { PasswordChoice, type PasswordMode } from "./password-choice";

/**
 * Changes one subscriber's password (POST /api/v1/subscribers/{aor}/password), typed or generated. Kamailio checks
 * the new hashes on the next REGISTER; existing registrations stay until they expire or are removed.
 */
export function ChangePasswordForm({ aor, minLength }: { aor: string; minLength: number | null }) {
  const [mode, setMode] = useState<PasswordMode>("generate");
  const [password, setPassword] = useState("");
  const [stage, setStage] = useState<"idle" | "confirm" | "busy">("idle");
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [generated, setGenerated] = useState<string | null>(null);

  async function send() {
    setStage("busy");
    const body = mode === "generate" ? { generate: true } : { password };
    const outcome = await callApi(
      `${subscriberPath(aor)}/password`,
      { method: "POST", body },
      passwordResultSchema,
    );
    setStage("idle");
    if (!outcome.ok) {
      setFields(outcome.fields);
      if (!outcome.fields.password) setMessage({ ok: false, text: outcome.message });
      return;
    }
    setPassword("");
    setGenerated(outcome.body.generatedPassword ?? null);
    setMessage({ ok: true, text: "Password changed: the old one is refused from the next REGISTER." });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setFields({});
    setMessage(null);
    setGenerated(null);
    setStage("confirm");
  }

  return (
    <div className="space-y-3">
      <form
        onSubmit={submit}
        className="flex flex-wrap items-start gap-4 text-sm"
        data-testid="change-password-form"
      >
        <PasswordChoice
          idPrefix="passwd"
          mode={mode}
          password={password}
          minLength={minLength}
          error={fields.password}
          onMode={setMode}
          onPassword={setPassword}
        />
        {stage === "confirm" ? (
          <span className="flex items-center gap-2 self-end">
            <span data-testid="passwd-confirm">Change the password of {aor}?</span>
            <button type="button" className="font-medium text-red-600" onClick={send}>
              Yes
            </button>
            <button type="button" onClick={() => setStage("idle")}>
              No
            </button>
          </span>
        ) : (
          <button
            type="submit"
            disabled={stage === "busy"}
            className="self-end rounded bg-tremor-brand px-3 py-1.5 text-white disabled:opacity-60"
          >
            {stage === "busy" ? "Changing…" : "Change password"}
          </button>
        )}
      </form>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-600"}`}
          data-testid="passwd-result"
        >
          {message.text}
        </p>
      ) : null}
      {generated ? <GeneratedPassword aor={aor} password={generated} /> : null}
    </div>
  );
}
