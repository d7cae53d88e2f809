import { describe, expect, it } from "vitest";
import { buildFleetSnapshot, type FleetSnapshot } from "./snapshot";
import { createSnapshotStream, MAX_QUEUED_CHUNKS, sseHeaders } from "./sse";

const fleet = (at: string): FleetSnapshot => buildFleetSnapshot([], 2000, new Date(at));

function fakeSource() {
  const listeners = new Set<(f: FleetSnapshot) => void>();
  let current = fleet("2026-01-01T00:00:00.000Z");
  return {
    listeners,
    set(next: FleetSnapshot) {
      current = next;
      for (const l of listeners) l(next);
    },
    options: {
      getFleet: () => current,
      subscribeTo: (l: (f: FleetSnapshot) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      coalesceMs: 5,
      pingMs: 20,
    },
  };
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, done: (text: string) => boolean) {
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

describe("createSnapshotStream", () => {
  it("sends retry, the snapshot at once, one event per burst of updates, and pings", async () => {
    const source = fakeSource();
    const controller = new AbortController();
    const reader = createSnapshotStream(controller.signal, source.options).getReader();
    const first = await readUntil(reader, (t) => t.includes("event: snapshot"));
    expect(first.startsWith("retry: 2000\n\nevent: snapshot\ndata: {")).toBe(true);
    expect(first).toContain('"generatedAt":"2026-01-01T00:00:00.000Z"');

    source.set(fleet("2026-01-01T00:00:01.000Z"));
    source.set(fleet("2026-01-01T00:00:02.000Z"));
    const next = await readUntil(reader, (t) => t.includes("event: snapshot") && t.includes(": ping"));
    expect(next.match(/event: snapshot/g)).toHaveLength(1);
    expect(next).toContain('"generatedAt":"2026-01-01T00:00:02.000Z"');

    controller.abort();
    expect(source.listeners.size).toBe(0);
    expect((await reader.read()).done).toBe(true);
  });

  it("releases its subscription when the reader cancels", async () => {
    const source = fakeSource();
    const reader = createSnapshotStream(new AbortController().signal, source.options).getReader();
    await reader.read();
    expect(source.listeners.size).toBe(1);
    await reader.cancel();
    expect(source.listeners.size).toBe(0);
  });

  it("is marked no-store like every authenticated API response", () => {
    expect(sseHeaders["cache-control"]).toMatch(/(^|[ ,])no-store([ ,]|$)/);
    expect(sseHeaders["content-type"]).toBe("text/event-stream; charset=utf-8");
  });

  it("ends the stream and unsubscribes once its credentials no longer hold", async () => {
    const source = fakeSource();
    let allowed = true;
    const stream = createSnapshotStream(new AbortController().signal, {
      ...source.options,
      stillAllowed: async () => allowed,
      reauthorizeMs: 10,
    });
    const reader = stream.getReader();
    await readUntil(reader, (t) => t.includes("event: snapshot"));
    expect(source.listeners.size).toBe(1);
    allowed = false;
    await readUntil(reader, () => false);
    expect(source.listeners.size).toBe(0);
  });

  it("keeps the stream when a credential check fails rather than answers no", async () => {
    const source = fakeSource();
    let checks = 0;
    const stream = createSnapshotStream(new AbortController().signal, {
      ...source.options,
      stillAllowed: async () => {
        checks += 1;
        throw new Error("database unavailable");
      },
      reauthorizeMs: 5,
    });
    const reader = stream.getReader();
    await readUntil(reader, (t) => t.includes(": ping"));
    await readUntil(reader, (t) => t.includes(": ping"));
    expect(checks).toBeGreaterThan(1);
    expect(source.listeners.size).toBe(1);
    await reader.cancel();
  });

  it("holds at most a few chunks for a client that stopped reading", async () => {
    const source = fakeSource();
    const controller = new AbortController();
    const reader = createSnapshotStream(controller.signal, source.options).getReader();
    await readUntil(reader, (t) => t.includes("event: snapshot"));
    // 40 poll cycles while the client reads nothing; each cycle's event is due after coalesceMs (5 ms)
    for (let cycle = 1; cycle <= 40; cycle++) {
      source.set(fleet(new Date(Date.UTC(2026, 0, 1, 0, 0, cycle)).toISOString()));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    controller.abort();
    const backlog = await readUntil(reader, () => false);
    const queued = (backlog.match(/event: snapshot/g) ?? []).length + (backlog.match(/: ping/g) ?? []).length;
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThanOrEqual(MAX_QUEUED_CHUNKS);
  });
});
