import type { ReactNode } from "react";
import { DashboardAlerts } from "@/components/alerts/dashboard-alerts";
import { AppNav } from "@/components/nav/app-nav";
import { ActionOutcomes } from "@/components/troubleshoot/action-outcomes";
import { getPageActor } from "@/lib/auth/page";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await getPageActor();
  return (
    <div className="min-h-screen bg-tremor-background-muted">
      <AppNav actor={actor} />
      {actor ? <DashboardAlerts /> : null}
      <main className="mx-auto max-w-screen-2xl px-6 py-6">
        <ActionOutcomes>{children}</ActionOutcomes>
      </main>
    </div>
  );
}
