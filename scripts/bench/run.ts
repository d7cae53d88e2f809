// npm run bench -- --carrier | --store | --api | --wall | --soak [30m] | --all   (issue #10; results merge by
// section into bench/RESULTS.md, see results-file.ts)
//   --carrier  10,000 registered WS/WSS clients + 1,000 dialogs in the lab: raw RPC vs full poll cycle (carrier.ts)
//   --store    samples per second the store sustains on a private PostgreSQL database (store.ts)
//   --api      overview/history API p50/p95 under 20 concurrent clients, 30 days × 20 nodes of history (api.ts)
//   --wall     the wall page: time to first render and bytes of JavaScript, Chromium (wall.ts)
//   --soak D   the app polling the lab every second for D (30m default, 10m, 90s…): RSS growth, wall data age
//              (soak.ts)
// Anything else runs the older benches (poll-cycle.ts: --clients N, --parsers, --history, --connections-page…).
const argv = process.argv.slice(2);
const has = (flag: string) => argv.includes(flag);
const parts = ["--carrier", "--store", "--api", "--wall", "--soak"] as const;
const chosen = has("--all") ? [...parts] : parts.filter(has);

async function main(): Promise<void> {
  if (chosen.length === 0) {
    await import("./poll-cycle");
    return;
  }
  const failures: string[] = [];
  for (const part of chosen) {
    console.log(`\n=== ${part.slice(2)} ===`);
    try {
      if (part === "--carrier") await (await import("./carrier")).runCarrierBench(argv);
      if (part === "--store") await (await import("./store")).runStoreBench(argv);
      if (part === "--api") await (await import("./api")).runApiBench(argv);
      if (part === "--wall") await (await import("./wall")).runWallBench(argv);
      if (part === "--soak") await (await import("./soak")).runSoakBench(argv);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`${part} failed: ${message}`);
      failures.push(part);
    }
  }
  if (failures.length > 0) {
    console.error(`failed: ${failures.join(", ")}`);
    process.exit(1);
  }
  process.exit(0);
}

await main();

export {};
