/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
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
