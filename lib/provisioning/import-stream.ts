import { log } from "@/lib/log";
import type { ProvisioningActor } from "./audit";
import { readProvisioningConfig } from "./config";
import { ProvisioningError } from "./errors";
import { prepareImport, runImport } from "./import";
import type { ImportEvent, ImportMode } from "./types";

// The import API's answer: the CSV is parsed first (a broken file is a plain 400), then progress and the result
// stream as newline-delimited JSON so a page can draw a progress bar for a large file.

const MAX_BYTES = 64 * 1024 * 1024;

export function importResponse(
  actor: ProvisioningActor,
  csv: string,
  query: { dryRun: boolean; mode: ImportMode },
): Response {
  if (csv.length > MAX_BYTES) throw new ProvisioningError(400, "the CSV is larger than 64 MB");
  const read = readProvisioningConfig();
  if (!read.config) throw new ProvisioningError(503, read.reason);
  const domains = read.config.domains;
  const prepared = prepareImport(actor, csv, domains.length === 1 ? domains[0] : undefined);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: ImportEvent) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      try {
        send(
          await runImport(actor, prepared, {
            ...query,
            onProgress: (done, total) => send({ type: "progress", done, total }),
          }),
        );
      } catch (error) {
        const message =
          error instanceof ProvisioningError ? error.message : "the import failed (see the server log)";
        if (!(error instanceof ProvisioningError)) log.error({ err: error }, "subscriber import failed");
        send({ type: "error", error: message });
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
  });
}
