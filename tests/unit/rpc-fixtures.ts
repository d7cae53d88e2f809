// Loads captured Kamailio JSON-RPC replies (tests/fixtures/rpc) through the same reply decoding the client uses.
import { readFileSync } from "node:fs";
import path from "node:path";
import { KamailioRpcError } from "@/lib/kamailio/errors";
import { decodeRpcReply } from "@/lib/kamailio/transport";

export const FIXTURE_NODE = "http://fixture.invalid/RPC";
const dir = path.resolve(import.meta.dirname, "../fixtures/rpc");

export function fixtureBody(name: string): string {
  return readFileSync(path.join(dir, name), "utf8");
}

/** The `result` of a captured reply, decoded as the transport decodes a live one (HTTP 200 unless given). */
export function fixtureResult(name: string, method: string, status = 200): unknown {
  return decodeRpcReply(fixtureBody(name), { method, nodeUrl: FIXTURE_NODE, status });
}

/** Runs `parse` on a fixture and returns the KamailioRpcError it must throw. */
export function fixtureFailure(run: () => unknown): KamailioRpcError {
  try {
    run();
  } catch (error) {
    if (error instanceof KamailioRpcError) return error;
    throw error;
  }
  throw new Error("expected a KamailioRpcError");
}
