import { SipWsUa } from "../../tests/support/sip-ws-ua";
import type { LabConfig } from "../lab/lab";

// Opens (and optionally registers) many SIP-over-WebSocket clients against the lab, in small batches.

export type ClientPool = { clients: SipWsUa[]; registered: number; close: () => Promise<void> };

export async function openClients(
  lab: LabConfig,
  options: { count: number; register: boolean; secure: boolean; batch?: number; log: (line: string) => void },
): Promise<ClientPool> {
  const origin = lab.origins[0];
  if (!origin) throw new Error("lab.json lists no origins");
  if (lab.users.length === 0) throw new Error("lab.json lists no users");
  const batch = options.batch ?? 50;
  const clients: SipWsUa[] = [];
  let registered = 0;
  const close = async () => {
    await Promise.allSettled(clients.map((ua) => (options.register ? ua.unregister() : Promise.resolve())));
    await Promise.allSettled(clients.map((ua) => ua.close()));
  };
  try {
    for (let start = 0; start < options.count; start += batch) {
      const size = Math.min(batch, options.count - start);
      const opened = await Promise.all(
        Array.from({ length: size }, async (_unused, offset) => {
          const user = lab.users[(start + offset) % lab.users.length];
          if (!user) throw new Error("no lab user");
          const ua = await SipWsUa.connect({
            url: options.secure ? lab.sip.wss : lab.sip.ws,
            origin,
            domain: lab.domain,
            username: user.username,
            password: user.password,
            contactTransport: options.secure ? "wss" : "ws",
          });
          clients.push(ua);
          if (options.register) {
            const { final } = await ua.register(3600);
            if (final.status !== 200) throw new Error(`REGISTER ${user.username}: ${final.status}`);
            registered += 1;
          }
          return ua;
        }),
      );
      if ((start + opened.length) % 250 === 0) options.log(`  ${start + opened.length} clients open`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { clients, registered, close };
}
