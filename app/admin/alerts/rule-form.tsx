"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { type RuleFormState, setAlertRuleEnabledAction, updateAlertRuleAction } from "./actions";

const initialForm: RuleFormState = { fieldErrors: {}, formError: null, saved: false };

function Field(props: {
  name: string;
  label: string;
  value: string | number;
  error?: string;
  step?: string;
}) {
  return (
    <label className="flex flex-col text-xs text-tremor-content">
      {props.label}
      <input
        name={props.name}
        defaultValue={props.value}
        inputMode="decimal"
        step={props.step}
        className="mt-1 w-24 rounded border border-tremor-border px-2 py-1 text-sm text-tremor-content-strong"
        aria-invalid={props.error ? true : undefined}
      />
      {props.error ? <span className="mt-1 text-red-600">{props.error}</span> : null}
    </label>
  );
}

/** One rule's thresholds (edit + save) and its enable / disable switch. */
export function RuleForm({ rule, unit }: { rule: AlertRule; unit: string }) {
  const [state, save, saving] = useActionState(updateAlertRuleAction, initialForm);
  const [toggle, toggleAction, toggling] = useActionState(setAlertRuleEnabledAction, { error: null });
  const error = state.formError ?? toggle.error;
  return (
    <div className="flex flex-col gap-2" data-testid="alert-rule-form" data-rule={rule.name}>
      <div className="flex items-end gap-3">
        <form action={save} className="flex items-end gap-3">
          <input type="hidden" name="id" value={rule.id} />
          <Field
            name="threshold"
            label={`threshold${unit}`}
            value={rule.threshold}
            error={state.fieldErrors.threshold}
          />
          <Field
            name="forSeconds"
            label="for (s)"
            value={rule.forSeconds}
            error={state.fieldErrors.forSeconds}
          />
          <Field
            name="clearThreshold"
            label={`clear at${unit}`}
            value={rule.clearThreshold}
            error={state.fieldErrors.clearThreshold}
          />
          <Field
            name="clearForSeconds"
            label="clear for (s)"
            value={rule.clearForSeconds ?? ""}
            error={state.fieldErrors.clearForSeconds}
          />
          <Button type="submit" size="xs" variant="secondary" loading={saving}>
            Save
          </Button>
        </form>
        <form action={toggleAction}>
          <input type="hidden" name="id" value={rule.id} />
          <input type="hidden" name="enabled" value={rule.enabled ? "false" : "true"} />
          <Button
            type="submit"
            size="xs"
            variant="secondary"
            loading={toggling}
            data-testid="alert-rule-toggle"
          >
            {rule.enabled ? "Disable" : "Enable"}
          </Button>
        </form>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : state.saved ? (
        <p className="text-xs text-emerald-700">Saved.</p>
      ) : null}
    </div>
  );
}
