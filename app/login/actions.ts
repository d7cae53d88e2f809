"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { attemptLogin } from "@/lib/auth/login";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password";
import { safeNextPath } from "@/lib/auth/request-info";
import { setSessionCookies } from "@/lib/auth/session-cookies";
import { requestClientAddress } from "@/lib/auth/setup-peer";

export type LoginFormState = {
  username: string;
  fieldErrors: { username?: string; password?: string };
  formError: string | null;
};

const loginForm = z.object({
  username: z.string().trim().min(1, "Enter your username").max(64, "Username is at most 64 characters"),
  password: z.string().min(1, "Enter your password").max(MAX_PASSWORD_LENGTH, "Password is too long"),
  next: z.string().optional(),
});

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

export async function loginAction(_previous: LoginFormState, formData: FormData): Promise<LoginFormState> {
  const input = {
    username: text(formData, "username"),
    password: text(formData, "password"),
    next: text(formData, "next"),
  };
  const parsed = loginForm.safeParse(input);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return {
      username: input.username,
      fieldErrors: { username: errors.username?.[0], password: errors.password?.[0] },
      formError: null,
    };
  }
  const result = await attemptLogin({
    username: parsed.data.username,
    password: parsed.data.password,
    clientIp: requestClientAddress(await headers()),
  });
  if (!result.ok) {
    const formError =
      result.reason === "rate_limited"
        ? `Too many failed sign-ins. Try again in ${result.retryAfterSeconds} seconds.`
        : "Invalid username or password.";
    return { username: parsed.data.username, fieldErrors: {}, formError };
  }
  await setSessionCookies(result);
  redirect(safeNextPath(parsed.data.next, "/"));
}
