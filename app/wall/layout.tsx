import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "NOC wall · kamdash" };

// The wall is sized for 1920×1080 (16 px per rem) and scales like a slide on any other screen: every size on it is
// in rem, and this rule ties the rem to the viewport (the rule goes away when the user leaves the wall).
const scaleWithScreen = "html { font-size: min(calc(100vh / 67.5), calc(100vw / 120)); }";

/** Dark, chrome-free kiosk layout: no nav, nothing to click. */
export default function WallLayout({ children }: { children: ReactNode }) {
  return (
    <div className="min-h-screen bg-slate-950 text-slate-100 antialiased">
      <style>{scaleWithScreen}</style>
      {children}
    </div>
  );
}
