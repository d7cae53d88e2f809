import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { operatorsExist } from "@/lib/auth/setup";
import { isLocalRequest, requestOriginOf } from "@/lib/auth/setup-peer";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up · kamdash" };
// decided per request: whether an operator exists and where the browser is
export const dynamic = "force-dynamic";

/** First-run setup: only while no operator exists (then it sends everyone to /login). */
export default async function SetupPage() {
  if (await operatorsExist()) redirect("/login");
  const local = isLocalRequest(requestOriginOf(await headers()));
  return <SetupForm needsCode={!local} />;
}
