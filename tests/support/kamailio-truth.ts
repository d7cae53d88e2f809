// What Kamailio itself says, read with the tests' own RPC client (not kamdash's parsers), to compare a snapshot's
// headline numbers with exactly. Connections come from core.tcp_list, registrations from the full ul.dump and
// dialogs from dlg.list: other methods than the poller's cheap ones, so a wrong source shows as a mismatch.
import { expect } from "vitest";
import { z } from "zod";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { kamailioRpc, listDialogs } from "./kamailio-rpc";

export type KamailioSays = {
  ws: number;
  wss: number;
  registrations: number;
  aors: number;
  dialogsActive: number;
  dialogsEarly: number;
};

const closing = new Set(["CONN_ERROR", "CONN_BAD", "CONN_EOF"]);
const tcpListSchema = z.array(z.object({ type: z.string(), state: z.string() }).passthrough());
const ulDumpSchema = z.object({
  Domains: z.array(
    z.object({
      Domain: z.object({
        AoRs: z.array(
          z.object({
            Info: z.object({
              AoR: z.string(),
              Contacts: z.array(
                z.object({ Contact: z.object({ Expires: z.union([z.number(), z.string()]) }).passthrough() }),
              ),
            }),
          }),
        ),
      }),
    }),
  ),
});

export async function kamailioSays(rpcUrl: string): Promise<KamailioSays> {
  const connections = tcpListSchema.parse((await kamailioRpc(rpcUrl, "core.tcp_list")) ?? []);
  const open = connections.filter((c) => !closing.has(c.state));
  const dump = ulDumpSchema.parse(await kamailioRpc(rpcUrl, "ul.dump"));
  let registrations = 0;
  let aors = 0;
  for (const { Domain } of dump.Domains) {
    for (const { Info } of Domain.AoRs) {
      const live = Info.Contacts.filter(
        (c) => typeof c.Contact.Expires === "number" || c.Contact.Expires === "permanent",
      );
      registrations += live.length;
      if (live.length > 0) aors += 1;
    }
  }
  const dialogs = await listDialogs(rpcUrl);
  return {
    ws: open.filter((c) => c.type === "WS").length,
    wss: open.filter((c) => c.type === "WSS").length,
    registrations,
    aors,
    dialogsActive: dialogs.filter((d) => d.state === 3 || d.state === 4).length,
    dialogsEarly: dialogs.filter((d) => d.state === 1 || d.state === 2).length,
  };
}

const pick = (s: NodeSnapshot) => ({
  ws: s.ws,
  wss: s.wss,
  registrations: s.registrations,
  aors: s.aors,
  dialogsActive: s.dialogsActive,
  dialogsEarly: s.dialogsEarly,
});

/**
 * Waits for a poll cycle that ran while Kamailio's own answer did not change (read before and after it), then
 * expects the snapshot to equal that answer exactly, field by field: a null, a stale value or a wrong source fails.
 * `nextCycle` resolves with the snapshot of the next finished cycle.
 */
export async function expectSnapshotEqualsKamailio(
  rpcUrl: string,
  nextCycle: () => Promise<NodeSnapshot>,
  attempts = 6,
): Promise<{ snapshot: NodeSnapshot; truth: KamailioSays }> {
  for (let i = 0; i < attempts; i++) {
    const before = await kamailioSays(rpcUrl);
    const snapshot = await nextCycle();
    const after = await kamailioSays(rpcUrl);
    if (JSON.stringify(before) !== JSON.stringify(after)) continue;
    expect(pick(snapshot)).toEqual(before);
    return { snapshot, truth: before };
  }
  throw new Error(`Kamailio's numbers kept changing over ${attempts} poll cycles`);
}
