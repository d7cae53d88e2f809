import type { PrismaClient } from "@/lib/generated/prisma/client";

/** The Prisma client lib/metrics works with (lib/db.ts getDb() gives one). */
export type Db = PrismaClient;
