"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { updateAlertRuleAs } from "@/lib/alerts/rule-admin";
import { createAlertRuleAs, deleteAlertRuleAs, ruleIdSchema } from "@/lib/alerts/rule-lifecycle";
import { requireAction } from "@/lib/auth/action";
import { actionFailure, formText } from "@/lib/http/action-result";

// Each action authorizes its caller itself (requireAction) and the service checks "alerts.write" once more;
// the service writes the audit row.

export type RuleFormState = {
  fieldErrors: { threshold?: string; forSeconds?: string; clearThreshold?: string; clearForSeconds?: string };
  formError: string | null;
  saved: boolean;
};

const enabledField = z.enum(["true", "false"], { error: "enabled must be true or false" });

export async function updateAlertRuleAction(
  _previous: RuleFormState,
  formData: FormData,
): Promise<RuleFormState> {
  try {
    const actor = await requireAction("alerts.write");
    const clearFor = formText(formData, "clearForSeconds").trim();
    await updateAlertRuleAs(actor, {
      id: formText(formData, "id"),
      threshold: formText(formData, "threshold"),
      forSeconds: formText(formData, "forSeconds"),
      clearThreshold: formText(formData, "clearThreshold"),
      clearForSeconds: clearFor === "" ? null : clearFor,
    });
    revalidatePath("/admin/alerts");
    return { fieldErrors: {}, formError: null, saved: true };
  } catch (error) {
    const failure = actionFailure(error);
    const { threshold, forSeconds, clearThreshold, clearForSeconds } = failure.fieldErrors;
    return {
      fieldErrors: { threshold, forSeconds, clearThreshold, clearForSeconds },
      formError: failure.formError,
      saved: false,
    };
  }
}

export async function setAlertRuleEnabledAction(
  _previous: { error: string | null },
  formData: FormData,
): Promise<{ error: string | null }> {
  try {
    const actor = await requireAction("alerts.write");
    const enabled = enabledField.parse(formText(formData, "enabled")) === "true";
    await updateAlertRuleAs(actor, { id: formText(formData, "id"), enabled });
    revalidatePath("/admin/alerts");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).formError };
  }
}

export type CreateRuleState = {
  fieldErrors: Record<string, string | undefined>;
  formError: string | null;
  created: string | null;
};

export async function createAlertRuleAction(
  _previous: CreateRuleState,
  formData: FormData,
): Promise<CreateRuleState> {
  try {
    const actor = await requireAction("alerts.write");
    const field = (name: string) => formText(formData, name);
    const rule = await createAlertRuleAs(actor, {
      name: field("name"),
      metric: field("metric"),
      scope: field("scope") || undefined,
      node: field("node"),
      comparator: field("comparator"),
      threshold: field("threshold"),
      forSeconds: field("forSeconds"),
      clearThreshold: field("clearThreshold"),
      clearForSeconds: field("clearForSeconds"),
      severity: field("severity"),
    });
    revalidatePath("/admin/alerts");
    return { fieldErrors: {}, formError: null, created: rule.name };
  } catch (error) {
    const failure = actionFailure(error);
    return { fieldErrors: failure.fieldErrors, formError: failure.formError, created: null };
  }
}

export async function deleteAlertRuleAction(
  _previous: { error: string | null },
  formData: FormData,
): Promise<{ error: string | null }> {
  try {
    const actor = await requireAction("alerts.write");
    await deleteAlertRuleAs(actor, ruleIdSchema.parse(formText(formData, "id")));
    revalidatePath("/admin/alerts");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).formError ?? "The rule id is not valid" };
  }
}
