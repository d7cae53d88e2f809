/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() from requirePage() renders app/forbidden.tsx with HTTP 403
  experimental: { authInterrupts: true },
  // proxy.ts sets the security headers (with a per-request CSP nonce) on everything it runs on; these fixed ones
  // cover what it skips (its config.matcher). A copy of STATIC_SECURITY_HEADERS in lib/http/security-headers.ts
  // (this file cannot import TypeScript); tests/unit/security-headers.test.ts keeps them equal.
  async headers() {
    const headers = [
      {
        key: "content-security-policy",
        value: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      },
      { key: "x-frame-options", value: "DENY" },
      { key: "x-content-type-options", value: "nosniff" },
      { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
    ];
    const skippedByProxy = [
      "/_next/static/:path*",
      "/_next/image",
      "/favicon.ico",
      "/icon.svg",
      "/manifest.webmanifest",
    ];
    return skippedByProxy.map((source) => ({ source, headers }));
  },
  // Loaded from node_modules at run time instead of bundled: PGlite reads its .wasm/.data files next to
  // its own modules, pg has optional native bits, and Prisma's runtime loads its query compiler wasm.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@prisma/driver-adapter-utils",
  ],
};

export default nextConfig;
