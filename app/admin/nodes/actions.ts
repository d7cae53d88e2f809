"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAction } from "@/lib/auth/action";
import { actionFailure, formText } from "@/lib/http/action-result";
import { addNodeAs, removeNodeAs, setNodeEnabledAs } from "@/lib/nodes/node-admin";

// Each action authorizes its caller itself (requireAction) and the service checks "nodes.write" once more.

export type AddNodeFormState = {
  values: { name: string; rpcUrl: string };
  fieldErrors: { name?: string; rpcUrl?: string };
  formError: string | null;
  added: string | null;
};

export type NodeRowState = { error: string | null };

const enabledField = z.enum(["true", "false"], { error: "enabled must be true or false" });

export async function addNodeAction(
  _previous: AddNodeFormState,
  formData: FormData,
): Promise<AddNodeFormState> {
  const values = { name: formText(formData, "name"), rpcUrl: formText(formData, "rpcUrl") };
  try {
    const node = await addNodeAs(await requireAction("nodes.write"), values, "ui");
    revalidatePath("/admin", "layout");
    return { values: { name: "", rpcUrl: "" }, fieldErrors: {}, formError: null, added: node.name };
  } catch (error) {
    const failure = actionFailure(error);
    // a taken name belongs under the name field
    if (failure.status === 409) {
      return { values, fieldErrors: { name: failure.formError ?? undefined }, formError: null, added: null };
    }
    const { name, rpcUrl } = failure.fieldErrors;
    return { values, fieldErrors: { name, rpcUrl }, formError: failure.formError, added: null };
  }
}

export async function setNodeEnabledAction(
  _previous: NodeRowState,
  formData: FormData,
): Promise<NodeRowState> {
  try {
    const actor = await requireAction("nodes.write");
    const enabled = enabledField.parse(formText(formData, "enabled")) === "true";
    await setNodeEnabledAs(actor, formText(formData, "name"), { enabled });
    revalidatePath("/admin", "layout");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).formError };
  }
}

export async function removeNodeAction(_previous: NodeRowState, formData: FormData): Promise<NodeRowState> {
  try {
    await removeNodeAs(await requireAction("nodes.write"), formText(formData, "name"));
    revalidatePath("/admin", "layout");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).formError };
  }
}
