"use client";

import { Button, Card, Title } from "@tremor/react";
import { type FormEvent, useState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";

type Fields = "username" | "password" | "repeat" | "code";
type FieldErrors = Partial<Record<Fields, string>>;
type ErrorBody = { error?: { message?: string; issues?: { path: string; message: string }[] } };

function text(form: FormData, name: Fields): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** Posts to /api/setup; on success the new admin is signed in and goes to the overview. */
export function SetupForm({ needsCode }: { needsCode: boolean }) {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      username: text(form, "username"),
      password: text(form, "password"),
      code: text(form, "code"),
    };
    if (body.password !== text(form, "repeat")) {
      setFieldErrors({ repeat: "The two passwords differ" });
      setFormError(null);
      return;
    }
    setPending(true);
    try {
      const response = await fetch("/api/setup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(needsCode ? body : { username: body.username, password: body.password }),
      });
      if (response.ok) {
        window.location.assign("/overview");
        return;
      }
      const failure = (await response.json().catch(() => ({}))) as ErrorBody;
      const errors: FieldErrors = {};
      for (const issue of failure.error?.issues ?? []) {
        const field = issue.path as Fields;
        errors[field] ??= issue.message;
      }
      setFieldErrors(errors);
      setFormError(
        Object.keys(errors).length > 0
          ? null
          : (failure.error?.message ?? `Setup failed (${response.status})`),
      );
      // someone else finished setup meanwhile: the login page is what is left
      if (response.status === 404) window.location.assign("/login");
    } catch {
      setFormError("The server did not answer; is kamdash still running?");
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="mx-auto mt-24 max-w-md">
      <Title>Set up kamdash</Title>
      <p className="mt-2 text-sm text-tremor-content">
        No operator exists yet. Create the first admin; this page is gone once you have.
      </p>
      {needsCode ? (
        <p className="mt-2 text-sm text-tremor-content" data-testid="setup-code-hint">
          You are not on the server’s machine, so setup needs the one-time setup code kamdash printed in its
          log at start (the line “no operator exists yet”).
        </p>
      ) : null}
      <form onSubmit={submit} className="mt-6 space-y-4" noValidate data-testid="setup-form">
        <FormError message={formError} />
        <TextField
          id="username"
          label="Admin username"
          name="username"
          autoComplete="username"
          defaultValue="admin"
          error={fieldErrors.username}
        />
        <TextField
          id="password"
          label="Password (at least 10 characters)"
          name="password"
          type="password"
          autoComplete="new-password"
          placeholder=""
          error={fieldErrors.password}
        />
        <TextField
          id="repeat"
          label="Repeat the password"
          name="repeat"
          type="password"
          autoComplete="new-password"
          placeholder=""
          error={fieldErrors.repeat}
        />
        {needsCode ? (
          <TextField
            id="code"
            label="Setup code"
            name="code"
            autoComplete="off"
            placeholder="ABCD-EFGH-JKMN"
            error={fieldErrors.code}
          />
        ) : null}
        <Button type="submit" className="w-full" loading={pending} disabled={pending}>
          Create admin and sign in
        </Button>
      </form>
    </Card>
  );
}
