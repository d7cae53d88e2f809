import { type HistoryStoreStatus, historyStoreLine } from "@/lib/metrics/history-store-status";

/**
 * "History store unavailable since …, N samples buffered" while kamdash's database takes no writes (the fleet
 * snapshot's historyStore, lib/metrics/write-buffer.ts); nothing while it does. The live numbers around it go on.
 */
export function HistoryStoreLine({
  status,
  variant = "page",
}: {
  status: HistoryStoreStatus | null | undefined;
  variant?: "page" | "wall";
}) {
  const line = historyStoreLine(status);
  if (line === null) return null;
  const tone =
    variant === "wall"
      ? "rounded-lg border-2 border-amber-500 bg-amber-950/60 px-5 py-3 text-2xl text-amber-200"
      : "rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-800";
  return (
    <p
      role="status"
      className={tone}
      data-testid="history-store-unavailable"
      title={status?.lastError ?? undefined}
    >
      {line}
    </p>
  );
}
