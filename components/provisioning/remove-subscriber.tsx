"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, removeResultSchema, subscriberPath } from "./api";

/**
 * Removes one subscriber (DELETE /api/v1/subscribers/{aor}) after an in-place confirmation. Optionally also drops
 * its registrations on every node (ul.rm) and closes the sockets they were bound to. On success it goes back to
 * the list, which says what was removed (see RemovedNote).
 */
export function RemoveSubscriber({ aor }: { aor: string }) {
  const [dropRegistrations, setDropRegistrations] = useState(true);
  const [closeSockets, setCloseSockets] = useState(false);
  const [stage, setStage] = useState<"idle" | "confirm" | "busy">("idle");
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();

  async function send() {
    setStage("busy");
    const query = new URLSearchParams();
    if (dropRegistrations) query.set("dropRegistrations", "1");
    if (closeSockets) query.set("closeSockets", "1");
    const suffix = query.size > 0 ? `?${query.toString()}` : "";
    const outcome = await callApi(
      `${subscriberPath(aor)}${suffix}`,
      { method: "DELETE" },
      removeResultSchema,
    );
    if (!outcome.ok) {
      setStage("idle");
      setError(outcome.message);
      return;
    }
    const note = new URLSearchParams({ removed: outcome.body.aor });
    if (dropRegistrations) note.set("registrationsDropped", String(outcome.body.registrationsDropped));
    if (closeSockets) note.set("socketsClosed", String(outcome.body.socketsClosed));
    router.replace(`/subscribers?${note.toString()}`);
  }

  return (
    <div className="space-y-2 text-sm" data-testid="remove-subscriber">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={dropRegistrations}
          onChange={(event) => setDropRegistrations(event.target.checked)}
        />
        also drop its registrations (ul.rm)
      </label>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={closeSockets}
          onChange={(event) => setCloseSockets(event.target.checked)}
        />
        close its sockets
      </label>
      {stage === "confirm" ? (
        <span className="flex items-center gap-2">
          <span data-testid="remove-confirm">Remove {aor}? Its next REGISTER will be refused.</span>
          <button type="button" className="font-medium text-red-600" onClick={send}>
            Yes
          </button>
          <button type="button" onClick={() => setStage("idle")}>
            No
          </button>
        </span>
      ) : (
        <button
          type="button"
          disabled={stage === "busy"}
          className="rounded border border-red-300 px-3 py-1.5 text-red-700 hover:border-red-600 disabled:opacity-60"
          onClick={() => {
            setError(null);
            setStage("confirm");
          }}
        >
          {stage === "busy" ? "Removing…" : "Remove user"}
        </button>
      )}
      {error ? (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
