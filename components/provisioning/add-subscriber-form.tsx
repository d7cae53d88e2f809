"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { FieldErrors } from "@/lib/provisioning/types";
import { callApi, passwordResultSchema } from "./api";
import { GeneratedPassword } from "./generated-password";
import { PasswordChoice, type PasswordMode } from "./password-choice";

type Added = { aor: string; generatedPassword?: string };

/**
 * Adds one subscriber (POST /api/v1/subscribers). Rejections show under their field (the API's `fields`); a
 * generated password is shown once with a copy button.
 */
export function AddSubscriberForm({ domains, minLength }: { domains: string[]; minLength: number | null }) {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [domain, setDomain] = useState(domains[0] ?? "");
  const [mode, setMode] = useState<PasswordMode>("generate");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [added, setAdded] = useState<Added | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFields({});
    setMessage(null);
    setAdded(null);
    const body = mode === "generate" ? { username, domain, generate: true } : { username, domain, password };
    const outcome = await callApi("/api/v1/subscribers", { method: "POST", body }, passwordResultSchema);
    setBusy(false);
    if (!outcome.ok) {
      setFields(outcome.fields);
      // a field's message is shown under it; the summary only when no field is named (409, 503, network)
      setMessage(Object.keys(outcome.fields).length > 0 ? null : outcome.message);
      return;
    }
    setAdded(outcome.body);
    setUsername("");
    setPassword("");
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <form
        onSubmit={submit}
        className="flex flex-wrap items-start gap-4 text-sm"
        data-testid="add-subscriber-form"
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="add-username" className="text-tremor-content">
            Username
          </label>
          <input
            id="add-username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            placeholder="1003"
            autoComplete="off"
            aria-invalid={fields.username ? true : undefined}
            className="rounded border-tremor-border text-sm"
          />
          {fields.username ? (
            <span className="max-w-xs text-xs text-red-600" data-testid="add-error-username">
              {fields.username}
            </span>
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="add-domain" className="text-tremor-content">
            Domain
          </label>
          <select
            id="add-domain"
            value={domain}
            onChange={(event) => setDomain(event.target.value)}
            aria-invalid={fields.domain ? true : undefined}
            className="rounded border-tremor-border text-sm"
          >
            {domains.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          {fields.domain ? (
            <span className="max-w-xs text-xs text-red-600" data-testid="add-error-domain">
              {fields.domain}
            </span>
          ) : null}
        </div>
        <PasswordChoice
          idPrefix="add"
          mode={mode}
          password={password}
          minLength={minLength}
          error={fields.password}
          onMode={setMode}
          onPassword={setPassword}
        />
        <button
          type="submit"
          disabled={busy}
          className="self-end rounded bg-tremor-brand px-3 py-1.5 text-white disabled:opacity-60"
        >
          {busy ? "Adding…" : "Add user"}
        </button>
      </form>
      {message ? (
        <p role="alert" className="text-sm text-red-600" data-testid="add-error">
          {message}
        </p>
      ) : null}
      {added ? (
        <div className="space-y-2" data-testid="add-result">
          <p className="text-sm text-emerald-700" role="status">
            Added{" "}
            <Link href={`/subscribers/${encodeURIComponent(added.aor)}`} className="font-medium underline">
              {added.aor}
            </Link>
            .
          </p>
          {added.generatedPassword ? (
            <GeneratedPassword aor={added.aor} password={added.generatedPassword} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
