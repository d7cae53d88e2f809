import { z } from "zod";
import { FIELD_NAMES, IMPORT_MODES, type ImportEvent } from "@/lib/provisioning/types";

// Reads the import route's application/x-ndjson body line by line as it arrives: progress events, then a result.

const importEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), done: z.number(), total: z.number() }),
  z.object({
    type: z.literal("result"),
    dryRun: z.boolean(),
    mode: z.enum(IMPORT_MODES),
    total: z.number(),
    valid: z.number(),
    imported: z.number(),
    errors: z.array(
      z.object({ line: z.number(), field: z.enum([...FIELD_NAMES, "row"]), message: z.string() }),
    ),
  }),
  z.object({ type: z.literal("error"), error: z.string() }),
]) satisfies z.ZodType<ImportEvent>;

function parseLine(line: string): ImportEvent {
  try {
    const parsed = importEventSchema.safeParse(JSON.parse(line));
    if (parsed.success) return parsed.data;
    return { type: "error", error: "the server sent a line that is not an import event" };
  } catch {
    return { type: "error", error: "the server sent a line that is not JSON" };
  }
}

/** Calls `onEvent` for every non-empty line of `body`, in order, as soon as the line is complete. */
export async function readNdjson(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ImportEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onEvent(parseLine(line));
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") onEvent(parseLine(buffered));
}
