"use client";

import { Button, Card, Title } from "@tremor/react";
import Link from "next/link";
import { useActionState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";
import { type LoginFormState, loginAction } from "./actions";

const initialState: LoginFormState = { username: "", fieldErrors: {}, formError: null };

export function LoginForm({
  next,
  notice,
  firstRun = false,
}: {
  next: string;
  notice: string | null;
  /** No operator exists yet: nobody can sign in, so point to /setup. */
  firstRun?: boolean;
}) {
  const [state, formAction, pending] = useActionState(loginAction, initialState);
  return (
    <Card className="mx-auto mt-24 max-w-sm">
      <Title>Sign in to kamdash</Title>
      {firstRun ? (
        <div
          role="status"
          className="mt-4 space-y-2 text-sm text-tremor-content"
          data-testid="first-run-notice"
        >
          <p className="font-medium text-tremor-content-strong">
            No operator exists yet, so nobody can sign in.
          </p>
          <p>
            <Link href="/setup" className="text-tremor-brand underline">
              Create the first admin on the setup page
            </Link>
            . From another machine it asks for the one-time setup code printed in the server’s log at start;
            on the server, <code>npx kamdash admin create &lt;username&gt;</code> works too.
          </p>
        </div>
      ) : null}
      <form action={formAction} className="mt-6 space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        {notice && !state.formError ? (
          <p role="status" className="text-sm text-tremor-content">
            {notice}
          </p>
        ) : null}
        <FormError message={state.formError} />
        <TextField
          id="username"
          label="Username"
          name="username"
          autoComplete="username"
          placeholder=""
          autoFocus
          defaultValue={state.username}
          error={state.fieldErrors.username}
        />
        <TextField
          id="password"
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          placeholder=""
          error={state.fieldErrors.password}
        />
        <Button type="submit" className="w-full" loading={pending} disabled={pending}>
          Sign in
        </Button>
      </form>
    </Card>
  );
}
