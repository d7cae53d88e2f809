"use client";

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

/** One operator action's answer, kept after its row is gone (ending a call removes the call's row). */
export type ActionOutcome = { id: number; subject: string; ok: boolean; message: string; at: Date };

type Report = (outcome: Omit<ActionOutcome, "id" | "at">) => void;

const ReportContext = createContext<Report | null>(null);
const KEEP = 5;

/** The reporter of the page's action-outcome region; null outside <ActionOutcomes>. */
export function useActionReport(): Report | null {
  return useContext(ReportContext);
}

/**
 * The page's last few action outcomes (newest first), shown at the foot of the screen until dismissed: an action
 * whose success removes its own row (End call, Close) must still say what Kamailio answered.
 */
export function ActionOutcomes({ children }: { children: ReactNode }) {
  const [outcomes, setOutcomes] = useState<ActionOutcome[]>([]);
  const report = useCallback<Report>((o) => {
    setOutcomes((list) => [{ ...o, id: Date.now() + Math.random(), at: new Date() }, ...list].slice(0, KEEP));
  }, []);
  const value = useMemo(() => report, [report]);
  return (
    <ReportContext.Provider value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        data-testid="action-outcomes"
        className="fixed right-4 bottom-4 z-50 flex max-w-md flex-col gap-2"
      >
        {outcomes.map((o) => (
          <div
            key={o.id}
            className={`rounded border bg-white px-3 py-2 text-sm shadow ${o.ok ? "border-emerald-300" : "border-red-300"}`}
          >
            <div className="flex items-start justify-between gap-3">
              <span className="break-all font-medium">{o.subject}</span>
              <button
                type="button"
                aria-label="Dismiss"
                className="text-tremor-content"
                onClick={() => setOutcomes((list) => list.filter((x) => x.id !== o.id))}
              >
                ×
              </button>
            </div>
            <p className={o.ok ? "text-emerald-700" : "text-red-600"}>
              {o.message} <span className="text-tremor-content">({o.at.toLocaleTimeString()})</span>
            </p>
          </div>
        ))}
      </div>
    </ReportContext.Provider>
  );
}
