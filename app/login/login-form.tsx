"use client";

import { Button, Card, Title } from "@tremor/react";
import { useActionState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";
import { type LoginFormState, loginAction } from "./actions";

const initialState: LoginFormState = { username: "", fieldErrors: {}, formError: null };

export function LoginForm({ next, notice }: { next: string; notice: string | null }) {
  const [state, formAction, pending] = useActionState(loginAction, initialState);
  return (
    <Card className="mx-auto mt-24 max-w-sm">
      <Title>Sign in to kamdash</Title>
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
