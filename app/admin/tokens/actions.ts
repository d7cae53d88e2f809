"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { requireAction } from "@/lib/auth/action";
import { createTokenAs, revokeTokenAs, tokenIdSchema } from "@/lib/auth/token-admin";
import { actionFailure, formText } from "@/lib/http/action-result";

// Each action authorizes its caller itself (requireAction) and the service checks "tokens.write" once more.

export type CreatedTokenView = {
  name: string;
  role: string;
  kiosk: boolean;
  token: string;
  /** Absolute wall URL for kiosk tokens, on the origin the admin is using. */
  wallUrl: string | null;
};

export type CreateTokenFormState = {
  values: { name: string; role: string; kiosk: boolean };
  fieldErrors: { name?: string; role?: string; kiosk?: string };
  formError: string | null;
  created: CreatedTokenView | null;
};

export type RevokeTokenState = { error: string | null };

export async function createTokenAction(
  _previous: CreateTokenFormState,
  formData: FormData,
): Promise<CreateTokenFormState> {
  const values = {
    name: formText(formData, "name"),
    role: formText(formData, "role"),
    kiosk: formText(formData, "kiosk") === "on",
  };
  try {
    const created = await createTokenAs(await requireAction("tokens.write"), values);
    revalidatePath("/admin", "layout");
    // requireAction accepted only a same-origin request, so Origin is the address the admin's browser uses
    const origin = (await headers()).get("origin");
    const wallUrl =
      created.wallPath && origin ? new URL(created.wallPath, origin).toString() : created.wallPath;
    const { name, role, kiosk, token } = created;
    return {
      values: { name: "", role: values.role, kiosk: values.kiosk },
      fieldErrors: {},
      formError: null,
      created: { name, role, kiosk, token, wallUrl },
    };
  } catch (error) {
    const failure = actionFailure(error);
    if (failure.status === 409) {
      return {
        values,
        fieldErrors: { name: failure.formError ?? undefined },
        formError: null,
        created: null,
      };
    }
    const { name, role, kiosk } = failure.fieldErrors;
    return { values, fieldErrors: { name, role, kiosk }, formError: failure.formError, created: null };
  }
}

export async function revokeTokenAction(
  _previous: RevokeTokenState,
  formData: FormData,
): Promise<RevokeTokenState> {
  try {
    const actor = await requireAction("tokens.write");
    await revokeTokenAs(actor, tokenIdSchema.parse(formText(formData, "id")));
    revalidatePath("/admin", "layout");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).formError };
  }
}
