"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import { type NodeRowState, removeNodeAction, setNodeEnabledAction } from "./actions";

const initialState: NodeRowState = { error: null };

export function NodeRowActions({ name, enabled }: { name: string; enabled: boolean }) {
  const [toggleState, toggleAction, toggling] = useActionState(setNodeEnabledAction, initialState);
  const [removeState, removeAction, removing] = useActionState(removeNodeAction, initialState);
  const error = toggleState.error ?? removeState.error;
  return (
    <div>
      <div className="flex gap-2">
        <form action={toggleAction}>
          <input type="hidden" name="name" value={name} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <Button
            type="submit"
            size="xs"
            variant="secondary"
            loading={toggling}
            disabled={toggling || removing}
            data-testid="node-toggle"
          >
            {enabled ? "Disable" : "Enable"}
          </Button>
        </form>
        <form
          action={removeAction}
          onSubmit={(event) => {
            if (!window.confirm(`Remove node "${name}"? Its samples are deleted too.`))
              event.preventDefault();
          }}
        >
          <input type="hidden" name="name" value={name} />
          <Button
            type="submit"
            size="xs"
            variant="secondary"
            color="red"
            loading={removing}
            disabled={toggling || removing}
            data-testid="node-remove"
          >
            Remove
          </Button>
        </form>
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
