import { describe, expect, it } from "vitest";
import type { Db } from "./db";
import { createWriteBuffer, DEFAULT_WRITE_BUFFER_MAX, readWriteBufferMax } from "./write-buffer";

// The buffer's order, bound and drop notice, against a stand-in for the Prisma client whose "server" can be turned
// off (the real outage is tests/integration/fault-postgres-stopped.test.ts).

function standIn() {
  const state = { up: true, written: [] as string[], events: [] as { kind: string; detail: unknown }[] };
  const down = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
  const db = {
    $queryRaw: () => (state.up ? Promise.resolve([{ "?column?": 1 }]) : down()),
    event: {
      create: (args: { data: { kind: string; detail: unknown } }) => {
        if (!state.up) return down();
        state.events.push({ kind: args.data.kind, detail: args.data.detail });
        return Promise.resolve({ id: 1n });
      },
    },
  } as unknown as Db;
  const sample = (name: string, at: number) => ({
    kind: "sample" as const,
    at: new Date(at),
    write: () => (state.up ? Promise.resolve(state.written.push(name)) : down()),
  });
  return { db, state, sample };
}

describe("write buffer", () => {
  it("keeps rows in order while the database is away and writes them all when it is back", async () => {
    const { db, state, sample } = standIn();
    const buffer = createWriteBuffer({ db, max: 100, now: () => new Date(5000) });
    buffer.add(sample("a", 1000));
    await buffer.flush();
    state.up = false;
    for (const [i, name] of ["b", "c", "d"].entries()) {
      buffer.add(sample(name, 2000 + i * 1000));
      await buffer.flush();
    }
    expect(buffer.status()).toMatchObject({
      state: "unavailable",
      unavailableSince: new Date(5000).toISOString(),
      bufferedSamples: 3,
      droppedSamples: 0,
    });
    expect(buffer.status().lastError).toContain("ECONNREFUSED");
    state.up = true;
    await buffer.flush();
    expect(state.written).toEqual(["a", "b", "c", "d"]);
    expect(buffer.status()).toMatchObject({ state: "ok", unavailableSince: null, bufferedSamples: 0 });
    expect(state.events).toEqual([]);
  });

  it("beyond the bound drops the oldest samples and says so in an event once it can", async () => {
    const { db, state, sample } = standIn();
    const buffer = createWriteBuffer({ db, max: 2 });
    state.up = false;
    for (let i = 1; i <= 5; i++) {
      buffer.add(sample(`s${i}`, i * 1000));
      await buffer.flush();
    }
    expect(buffer.status()).toMatchObject({
      bufferedSamples: 2,
      droppedSamples: 3,
      droppedFrom: new Date(1000).toISOString(),
      droppedTo: new Date(3000).toISOString(),
    });
    state.up = true;
    await buffer.flush();
    expect(state.written).toEqual(["s4", "s5"]);
    expect(state.events).toEqual([
      {
        kind: "history_buffer_dropped",
        detail: {
          droppedSamples: 3,
          droppedRows: 0,
          from: new Date(1000).toISOString(),
          to: new Date(3000).toISOString(),
          bufferMax: 2,
        },
      },
    ]);
    expect(buffer.status().droppedSamples).toBe(0);
  });

  it("drops a row the database refuses while it answers, and goes on", async () => {
    const { db, state, sample } = standIn();
    const refused: unknown[] = [];
    const buffer = createWriteBuffer({ db, max: 10, onRowError: (err) => refused.push(err) });
    buffer.add({
      kind: "row",
      at: new Date(0),
      write: () => Promise.reject(new Error("foreign key violated")),
    });
    buffer.add(sample("after", 1000));
    await buffer.flush();
    expect(refused).toHaveLength(1);
    expect(state.written).toEqual(["after"]);
    expect(buffer.status()).toMatchObject({ state: "ok", bufferedSamples: 0, bufferedRows: 0 });
  });

  it("reads KAMDASH_WRITE_BUFFER_MAX with zod", () => {
    expect(readWriteBufferMax({})).toBe(DEFAULT_WRITE_BUFFER_MAX);
    expect(readWriteBufferMax({ KAMDASH_WRITE_BUFFER_MAX: " 250 " })).toBe(250);
    expect(() => readWriteBufferMax({ KAMDASH_WRITE_BUFFER_MAX: "lots" })).toThrow(/whole number/);
    expect(() => readWriteBufferMax({ KAMDASH_WRITE_BUFFER_MAX: "0" })).toThrow(/at least 1/);
  });
});
