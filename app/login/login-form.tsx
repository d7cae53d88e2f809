"use client";

import { Button, Card, TextInput, Title } from "@tremor/react";
import { useActionState } from "react";
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
        {state.formError ? (
          <p role="alert" className="text-sm text-red-600">
            {state.formError}
          </p>
        ) : null}
        <div>
          <label htmlFor="username" className="text-sm font-medium text-tremor-content-strong">
            Username
          </label>
          <TextInput
            id="username"
            name="username"
            autoComplete="username"
            placeholder=""
            autoFocus
            defaultValue={state.username}
            error={Boolean(state.fieldErrors.username)}
            errorMessage={state.fieldErrors.username}
            className="mt-1"
          />
        </div>
        <div>
          <label htmlFor="password" className="text-sm font-medium text-tremor-content-strong">
            Password
          </label>
          <TextInput
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            placeholder=""
            error={Boolean(state.fieldErrors.password)}
            errorMessage={state.fieldErrors.password}
            className="mt-1"
          />
        </div>
        <Button type="submit" className="w-full" loading={pending} disabled={pending}>
          Sign in
        </Button>
      </form>
    </Card>
  );
}
