import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { KIOSK_COOKIE } from "@/lib/auth/cookies";
import { getPageActor } from "@/lib/auth/page";
import { safeNextPath } from "@/lib/auth/request-info";
import { operatorsExist } from "@/lib/auth/setup";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in · kamdash" };

const invalidKioskNotice = "This wall link is not valid (unknown or revoked kiosk token). Sign in instead.";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null, "/");
  const actor = await getPageActor();
  // A kiosk cookie is not a sign-in: a wall screen may still open the form to sign in as an operator.
  if (actor?.kind === "operator") redirect(next);
  // A kiosk cookie that did not sign anyone in: the /wall?kiosk=… link carried a bad or revoked token.
  const badKioskLink = params.kiosk === "invalid" || (!actor && (await cookies()).has(KIOSK_COOKIE));
  const notice = badKioskLink ? invalidKioskNotice : null;
  return <LoginForm next={next} notice={notice} firstRun={!(await operatorsExist())} />;
}
