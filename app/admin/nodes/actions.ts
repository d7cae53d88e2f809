"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireAction } from "@/lib/auth/action";
import { actionFailure, fieldErrorsOf, formText } from "@/lib/http/action-result";
import { addNodeAs, removeNodeAs, setNodeEnabledAs, setNodeProbeSettingsAs } from "@/lib/nodes/node-admin";
import { handshakeSettingsSchema } from "@/lib/nodes/probe-settings";
import {
  parseRtpengineAddressesText,
  RtpengineAddressesTextError,
} from "@/lib/nodes/rtpengine-addresses-text";

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

export type HandshakeFormValues = { url: string; origin: string; intervalS: string; verifyTls: boolean };
export type HandshakeFormState = {
  values: HandshakeFormValues;
  fieldErrors: { url?: string; origin?: string; intervalS?: string; verifyTls?: string };
  formError: string | null;
  saved: boolean;
};

const blankToNull = (text: string) => (text.trim() === "" ? null : text);

/** The node's handshake target (URL + Origin + verify TLS) and interval; empty fields fall back to the defaults. */
export async function setHandshakeAction(
  _previous: HandshakeFormState,
  formData: FormData,
): Promise<HandshakeFormState> {
  const values: HandshakeFormValues = {
    url: formText(formData, "url"),
    origin: formText(formData, "origin"),
    intervalS: formText(formData, "intervalS"),
    verifyTls: formText(formData, "verifyTls") === "on",
  };
  const interval = values.intervalS.trim();
  const input = {
    url: blankToNull(values.url),
    origin: blankToNull(values.origin),
    intervalS: interval === "" ? null : /^\d+$/.test(interval) ? Number(interval) : interval,
    verifyTls: values.verifyTls,
  };
  try {
    const actor = await requireAction("nodes.write");
    const checked = handshakeSettingsSchema.safeParse(input);
    if (!checked.success) {
      return { values, fieldErrors: fieldErrorsOf(checked.error), formError: null, saved: false };
    }
    await setNodeProbeSettingsAs(actor, formText(formData, "name"), { handshake: checked.data });
    revalidatePath("/admin", "layout");
    return { values, fieldErrors: {}, formError: null, saved: true };
  } catch (error) {
    return { values, fieldErrors: {}, formError: actionFailure(error).formError, saved: false };
  }
}

export type RtpengineFormState = {
  text: string;
  fieldError: string | null;
  formError: string | null;
  saved: boolean;
};

/** Per-instance RTPEngine addresses, one media server per line (lib/nodes/rtpengine-addresses-text.ts). */
export async function setRtpengineAddressesAction(
  _previous: RtpengineFormState,
  formData: FormData,
): Promise<RtpengineFormState> {
  const text = formText(formData, "rtpengineAddresses");
  try {
    const actor = await requireAction("nodes.write");
    let addresses: ReturnType<typeof parseRtpengineAddressesText>;
    try {
      addresses = parseRtpengineAddressesText(text);
    } catch (error) {
      if (error instanceof RtpengineAddressesTextError) {
        return { text, fieldError: error.message, formError: null, saved: false };
      }
      throw error;
    }
    await setNodeProbeSettingsAs(actor, formText(formData, "name"), { rtpengineAddresses: addresses });
    revalidatePath("/admin", "layout");
    return { text, fieldError: null, formError: null, saved: true };
  } catch (error) {
    return { text, fieldError: null, formError: actionFailure(error).formError, saved: false };
  }
}
