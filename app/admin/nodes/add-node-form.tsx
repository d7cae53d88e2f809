"use client";

import { Button, Title } from "@tremor/react";
import { useActionState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";
import { type AddNodeFormState, addNodeAction } from "./actions";

const initialState: AddNodeFormState = {
  values: { name: "", rpcUrl: "" },
  fieldErrors: {},
  formError: null,
  added: null,
};

export function AddNodeForm() {
  const [state, formAction, pending] = useActionState(addNodeAction, initialState);
  return (
    <section className="mt-8 border-t border-tremor-border pt-6" aria-labelledby="add-node-title">
      <Title id="add-node-title">Add a node</Title>
      <form action={formAction} className="mt-4 space-y-4" noValidate data-testid="add-node-form">
        <FormError message={state.formError} />
        {state.added ? (
          <p role="status" className="text-sm text-emerald-700" data-testid="add-node-result">
            Added node “{state.added}”: it is polled within one poll interval.
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            id="node-name"
            label="Name"
            name="name"
            placeholder="edge1"
            defaultValue={state.values.name}
            error={state.fieldErrors.name}
          />
          <TextField
            id="node-rpc-url"
            label="JSON-RPC URL"
            name="rpcUrl"
            placeholder="http://10.0.0.5:5080/RPC"
            defaultValue={state.values.rpcUrl}
            error={state.fieldErrors.rpcUrl}
            className="sm:col-span-2"
          />
        </div>
        <Button type="submit" loading={pending} disabled={pending}>
          Add node
        </Button>
      </form>
    </section>
  );
}
