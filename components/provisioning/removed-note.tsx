import { z } from "zod";

const count = z.coerce.number().int().min(0).optional();
export const removedNoteSchema = z.object({
  removed: z.string().max(512),
  registrationsDropped: count,
  socketsClosed: count,
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The list's note after a removal (the detail page sends `?removed=aor&registrationsDropped=n&socketsClosed=n`). */
export function RemovedNote({ params }: { params: Record<string, string | undefined> }) {
  const parsed = removedNoteSchema.safeParse(params);
  if (!parsed.success) return null;
  const { removed, registrationsDropped, socketsClosed } = parsed.data;
  return (
    <p role="status" className="text-sm text-emerald-700" data-testid="remove-result">
      Removed {removed}
      {registrationsDropped === undefined
        ? ""
        : `; ${plural(registrationsDropped, "registration")} dropped (ul.rm)`}
      {socketsClosed === undefined ? "" : `; ${plural(socketsClosed, "socket")} closed`}.
    </p>
  );
}

/** The search params without the removal note's, for links that keep the list's own state. */
export function withoutRemovedNote(
  params: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const { removed: _r, registrationsDropped: _d, socketsClosed: _s, ...rest } = params;
  return rest;
}
