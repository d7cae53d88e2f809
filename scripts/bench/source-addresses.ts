import tls from "node:tls";

// Gives the benchmark's WSS clients distinct loopback source addresses, so the lab's Kamailio lists them as coming
// from many far ends (as on a real gateway) and the IP filter has something to tell apart. On Linux the whole
// 127.0.0.0/8 is local: a socket bound to 127.1.3.17 reaches 127.0.0.1. tests/support/sip-ws-connection.ts opens
// its socket through `ws`, which calls tls.connect(options) at connect time; while `run` is pending each such call
// gets the next `localAddress`. Only TLS (WSS) is patched: the pg clients of this process use plain TCP.

/** The i-th bench address: 127.1.0.1 … 127.1.0.250, 127.1.1.1 …; 250 per /24 (never .0 or .255). */
export function benchSourceAddress(index: number): string {
  return `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/** Runs `run` with every tls.connect in this process bound to the next address of `next()`; restores after. */
export async function withSourceAddresses<T>(next: () => string, run: () => Promise<T>): Promise<T> {
  const original = tls.connect;
  const bound = (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first && typeof first === "object") {
      return (original as (...a: unknown[]) => tls.TLSSocket)({ ...first, localAddress: next() }, ...rest);
    }
    return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
  };
  tls.connect = bound as typeof tls.connect;
  try {
    return await run();
  } finally {
    tls.connect = original;
  }
}
