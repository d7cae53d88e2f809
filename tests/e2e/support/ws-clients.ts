import { SipWsUa } from "../../support/sip-ws-ua";

// Registered SIP-over-WebSocket clients (the gateway suite's UA) that make the wall's numbers move.

export type LabEndpoints = {
  domain: string;
  sip: { ws: string; wss: string };
  origins: string[];
  users: { username: string; password: string }[];
};

export type OpenClients = { count: { ws: number; wss: number }; closeAll: () => Promise<void> };

/** Opens `ws` WS and `wss` WSS clients, each registered as its own lab user (taken from the end of the list). */
export async function openRegisteredClients(
  lab: LabEndpoints,
  ws: number,
  wss: number,
): Promise<OpenClients> {
  const users = lab.users.slice(-(ws + wss));
  if (users.length < ws + wss) throw new Error(`the lab has ${lab.users.length} users, need ${ws + wss}`);
  const origin = lab.origins[0];
  if (!origin) throw new Error("lab.json lists no allowed origin");
  const clients: SipWsUa[] = [];
  const closeAll = async () => {
    // idempotent: a test closes them midway and again in its `finally`
    const closing = clients.splice(0);
    await Promise.allSettled(
      closing.map(async (ua) => {
        await ua.unregister().catch(() => undefined);
        await ua.close();
      }),
    );
  };
  try {
    for (const [index, user] of users.entries()) {
      const url = index < ws ? lab.sip.ws : lab.sip.wss;
      const ua = await SipWsUa.connect({ url, origin, domain: lab.domain, ...user });
      clients.push(ua);
      const { final } = await ua.register(300);
      if (final.status !== 200) throw new Error(`REGISTER ${user.username} over ${url}: ${final.status}`);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { count: { ws, wss }, closeAll };
}
