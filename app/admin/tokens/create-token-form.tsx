"use client";

import { Button, Title } from "@tremor/react";
import { useActionState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";
import { ROLES } from "@/lib/auth/permissions";
import { type CreatedTokenView, type CreateTokenFormState, createTokenAction } from "./actions";

const initialState: CreateTokenFormState = {
  values: { name: "", role: "viewer", kiosk: false },
  fieldErrors: {},
  formError: null,
  created: null,
};

function CreatedToken({ created }: { created: CreatedTokenView }) {
  return (
    <div role="status" className="rounded-tremor-default border border-emerald-300 bg-emerald-50 p-4 text-sm">
      <p className="font-medium text-emerald-800">
        Created {created.kiosk ? "kiosk " : ""}token “{created.name}” ({created.role}). Copy it now: it is not
        shown again.
      </p>
      <code data-testid="created-token" className="mt-2 block break-all font-mono text-xs">
        {created.token}
      </code>
      {created.wallUrl ? (
        <p className="mt-3">
          Wall screen URL:{" "}
          <a
            data-testid="created-wall-url"
            href={created.wallUrl}
            target="_blank"
            rel="noreferrer"
            className="break-all font-mono text-xs text-tremor-brand underline"
          >
            {created.wallUrl}
          </a>
        </p>
      ) : null}
    </div>
  );
}

export function CreateTokenForm() {
  const [state, formAction, pending] = useActionState(createTokenAction, initialState);
  return (
    <section
      className="mt-8 space-y-4 border-t border-tremor-border pt-6"
      aria-labelledby="create-token-title"
    >
      <Title id="create-token-title">Create a token</Title>
      {state.created ? <CreatedToken created={state.created} /> : null}
      <form action={formAction} className="space-y-4" noValidate data-testid="create-token-form">
        <FormError message={state.formError} />
        <div className="grid items-start gap-4 sm:grid-cols-3">
          <TextField
            id="token-name"
            label="Name"
            name="name"
            placeholder="noc-wall"
            defaultValue={state.values.name}
            error={state.fieldErrors.name}
          />
          <div>
            <label htmlFor="token-role" className="text-sm font-medium text-tremor-content-strong">
              Role
            </label>
            <select
              id="token-role"
              name="role"
              defaultValue={state.values.role}
              aria-invalid={Boolean(state.fieldErrors.role)}
              className="mt-1 block w-full rounded-tremor-default border-tremor-border text-sm"
            >
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
            {state.fieldErrors.role ? (
              <p className="mt-1 text-sm text-red-600">{state.fieldErrors.role}</p>
            ) : null}
          </div>
          <div className="pt-7">
            <label className="flex items-center gap-2 text-sm text-tremor-content-strong">
              <input
                type="checkbox"
                name="kiosk"
                id="token-kiosk"
                defaultChecked={state.values.kiosk}
                className="rounded border-tremor-border"
              />
              Kiosk (wall screen: wall and overview only)
            </label>
          </div>
        </div>
        <Button type="submit" loading={pending} disabled={pending}>
          Create token
        </Button>
      </form>
    </section>
  );
}
