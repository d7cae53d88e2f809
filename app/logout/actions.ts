"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth/session-cookies";

/** Deletes the session row and the auth cookies. Next checks the Origin of server actions (CSRF). */
export async function logoutAction(): Promise<void> {
  await signOut();
  redirect("/login");
}
