"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import { type CreateRuleState, createAlertRuleAction } from "./actions";

const initial: CreateRuleState = { fieldErrors: {}, formError: null, created: null };
const inputClass =
  "mt-1 rounded border border-tremor-border px-2 py-1 text-sm text-tremor-content-strong bg-white";

function Labelled(props: { label: string; error?: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="flex flex-col text-xs text-tremor-content">
      {props.label}
      {props.children}
      {props.error ? <span className="mt-1 text-red-600">{props.error}</span> : null}
    </label>
  );
}

/** A new rule: metric, scope, node, condition, durations, severity. Validated on the server (zod). */
export function NewRuleForm({
  metrics,
  nodes,
}: {
  metrics: { metric: string; unit: string }[];
  nodes: string[];
}) {
  const [state, create, creating] = useActionState(createAlertRuleAction, initial);
  const e = state.fieldErrors;
  return (
    <form action={create} className="mt-3 flex flex-col gap-3" data-testid="alert-rule-create">
      <div className="flex flex-wrap items-end gap-3">
        <Labelled label="name" error={e.name}>
          <input name="name" required maxLength={120} className={`${inputClass} w-72`} />
        </Labelled>
        <Labelled label="metric" error={e.metric}>
          <select name="metric" className={inputClass}>
            {metrics.map((m) => (
              <option key={m.metric} value={m.metric}>
                {m.metric}
                {m.unit}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label="scope" error={e.scope}>
          <select name="scope" className={inputClass} defaultValue="node">
            <option value="node">per node</option>
            <option value="fleet">fleet (worst / sum)</option>
          </select>
        </Labelled>
        <Labelled label="node (per node only)" error={e.node}>
          <select name="node" className={inputClass} defaultValue="">
            <option value="">every node</option>
            {nodes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </Labelled>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Labelled label="comparator" error={e.comparator}>
          <select name="comparator" className={inputClass} defaultValue="gt">
            <option value="gt">&gt;</option>
            <option value="gte">≥</option>
            <option value="lt">&lt;</option>
            <option value="lte">≤</option>
          </select>
        </Labelled>
        <Labelled label="threshold" error={e.threshold}>
          <input name="threshold" required inputMode="decimal" className={`${inputClass} w-24`} />
        </Labelled>
        <Labelled label="for (s)" error={e.forSeconds}>
          <input name="forSeconds" required inputMode="numeric" className={`${inputClass} w-20`} />
        </Labelled>
        <Labelled label="clear at" error={e.clearThreshold}>
          <input name="clearThreshold" required inputMode="decimal" className={`${inputClass} w-24`} />
        </Labelled>
        <Labelled label="clear for (s, empty: = for)" error={e.clearForSeconds}>
          <input name="clearForSeconds" inputMode="numeric" className={`${inputClass} w-20`} />
        </Labelled>
        <Labelled label="severity" error={e.severity}>
          <select name="severity" className={inputClass} defaultValue="warning">
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </Labelled>
        <Button type="submit" size="xs" loading={creating}>
          Add rule
        </Button>
      </div>
      {state.formError ? (
        <p role="alert" className="text-xs text-red-600">
          {state.formError}
        </p>
      ) : state.created ? (
        <p className="text-xs text-emerald-700">Added “{state.created}”.</p>
      ) : null}
    </form>
  );
}
