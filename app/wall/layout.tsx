import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "NOC wall · kamdash" };

/** Dark, chrome-free kiosk layout: no nav, nothing to click. */
export default function WallLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-screen bg-slate-950 text-slate-100 antialiased">{children}</div>;
}
