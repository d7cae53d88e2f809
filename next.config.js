/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() from requirePage() renders app/forbidden.tsx with HTTP 403
  experimental: { authInterrupts: true },
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
