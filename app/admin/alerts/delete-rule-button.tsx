"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import { deleteAlertRuleAction } from "./actions";

/** Deletes one rule after the browser's confirmation; its firing alerts are resolved (README "Alerts"). */
export function DeleteRuleButton({ id, name }: { id: number; name: string }) {
  const [state, remove, removing] = useActionState(deleteAlertRuleAction, { error: null });
  return (
    <form
      action={remove}
      onSubmit={(event) => {
        if (!window.confirm(`Delete the alert rule “${name}”? Its firing alerts are resolved.`)) {
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
        loading={removing}
        data-testid="alert-rule-delete"
      >
        Delete
      </Button>
      {state.error ? (
        <p role="alert" className="text-xs text-red-600">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
