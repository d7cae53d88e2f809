"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import { type RevokeTokenState, revokeTokenAction } from "./actions";

const initialState: RevokeTokenState = { error: null };

export function RevokeTokenButton({ id, name }: { id: number; name: string }) {
  const [state, formAction, pending] = useActionState(revokeTokenAction, initialState);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke token "${name}"? Scripts and screens using it stop working.`)) {
          event.preventDefault();
        }
      }}
    >
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        size="xs"
        variant="secondary"
        color="red"
        loading={pending}
        disabled={pending}
        data-testid="token-revoke"
      >
        Revoke
      </Button>
      {state.error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
