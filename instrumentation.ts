// Next runs register() once per server process at start-up. A throwing register() would leave `next start`
// serving 500s, so any failure is logged and the process exits non-zero instead.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { getDb } = await import("@/lib/db");
    const { seedNodes } = await import("@/lib/nodes");
    const { ensureFirstAdmin } = await import("@/lib/auth/operators");
    const { startPoller } = await import("@/lib/poller/start");

    const db = await getDb(); // opens the database and applies pending migrations
    const seeded = await seedNodes(db);
    if (seeded.upserted.length > 0 || seeded.disabled.length > 0) {
      console.info(
        `[kamdash] nodes from ${seeded.from}: ${seeded.upserted.join(", ") || "none"}` +
          (seeded.disabled.length > 0 ? `; disabled: ${seeded.disabled.join(", ")}` : ""),
      );
    }
    await ensureFirstAdmin();
    await startPoller();
  } catch (error) {
    console.error("[kamdash] start-up failed:", error);
    process.exit(1);
  }
}
