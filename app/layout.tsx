import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "kamdash",
  description: "Operations dashboard for Kamailio WebRTC gateways",
  // public/: the kiosk browser gets a name and an icon (and no 404 for a favicon)
  icons: { icon: "/icon.svg" },
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// The app shell (nav) lives in the section layouts: the wall kiosk has none.
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: Next stamps the request's CSP nonce (proxy.ts) on its scripts only then; a
  // page prerendered at build time would carry nonce-less inline scripts the CSP blocks.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
