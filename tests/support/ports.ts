import dgram from "node:dgram";
import net from "node:net";

// Free local ports for SIPp instances and checks that a process is listening on one.

function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 (SIPp binds its -p port for the chosen transport). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000); // below RTPEngine (30000+) and ephemeral ports
    if ((await tcpPortFree(port)) && (await udpPortFree(port))) return port;
  }
  throw new Error("no free local port found");
}

/** True once something has bound `port` (a SIPp UAS is ready to receive). */
export async function isListening(port: number, transport: "udp" | "tcp"): Promise<boolean> {
  return transport === "udp" ? !(await udpPortFree(port)) : !(await tcpPortFree(port));
}
