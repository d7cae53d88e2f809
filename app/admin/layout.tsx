import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AppNav } from "@/components/nav/app-nav";
import { requirePage } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Admin · kamdash" };

// Each admin page checks "admin.read" itself too: a layout is not re-run on every client-side navigation.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requirePage("admin.read");
  return (
    <div className="min-h-screen bg-tremor-background-muted">
      <AppNav actor={actor} />
      <div className="mx-auto max-w-7xl px-6 py-6">
        <nav className="mb-6 flex gap-4 text-sm" aria-label="Admin">
          <Link href="/admin" className="text-tremor-content hover:text-tremor-content-strong">
            Admin home
          </Link>
          <Link href="/admin/nodes" className="text-tremor-content hover:text-tremor-content-strong">
            Nodes
          </Link>
          <Link href="/admin/tokens" className="text-tremor-content hover:text-tremor-content-strong">
            API tokens
          </Link>
          <Link href="/admin/alerts" className="text-tremor-content hover:text-tremor-content-strong">
            Alerts
          </Link>
          <Link href="/admin/audit" className="text-tremor-content hover:text-tremor-content-strong">
            Audit log
          </Link>
        </nav>
        <main>{children}</main>
      </div>
    </div>
  );
}
