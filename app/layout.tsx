import type { Metadata, Viewport } from "next";
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
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
