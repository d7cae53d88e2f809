"use client";

import { Button, TextInput, Title } from "@tremor/react";
import { useActionState } from "react";
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
        {state.formError ? (
          <p role="alert" className="text-sm text-red-600">
            {state.formError}
          </p>
        ) : null}
        {state.added ? (
          <p role="status" className="text-sm text-emerald-700" data-testid="add-node-result">
            Added node “{state.added}”: it is polled within one poll interval.
          </p>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor="node-name" className="text-sm font-medium text-tremor-content-strong">
              Name
            </label>
            <TextInput
              id="node-name"
              name="name"
              placeholder="edge1"
              defaultValue={state.values.name}
              error={Boolean(state.fieldErrors.name)}
              errorMessage={state.fieldErrors.name}
              className="mt-1"
            />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="node-rpc-url" className="text-sm font-medium text-tremor-content-strong">
              JSON-RPC URL
            </label>
            <TextInput
              id="node-rpc-url"
              name="rpcUrl"
              placeholder="http://10.0.0.5:5080/RPC"
              defaultValue={state.values.rpcUrl}
              error={Boolean(state.fieldErrors.rpcUrl)}
              errorMessage={state.fieldErrors.rpcUrl}
              className="mt-1"
            />
          </div>
        </div>
        <Button type="submit" loading={pending} disabled={pending}>
          Add node
        </Button>
      </form>
    </section>
  );
}
