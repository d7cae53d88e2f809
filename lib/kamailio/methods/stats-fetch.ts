import { z } from "zod";
import { parseReply } from "../errors";

export const STATS_FETCH = "stats.fetch";

/** `stats.fetch` answers `{"group.name": "value"}` with every value as a decimal string. */
export const statsFetchResultSchema = z.record(z.string(), z.string());

export type StatsMap = Readonly<Record<string, string>>;

/** Turns the groups a caller wants into stats.fetch arguments: "all", "group:" or a single "group.name". */
export function statsFetchParams(groups: readonly string[]): string[] {
  if (groups.length === 0) return ["all"];
  return groups.map((group) =>
    group === "all" || group.endsWith(":") || group.includes(".") ? group : `${group}:`,
  );
}

export function parseStatsFetch(result: unknown, nodeUrl?: string): StatsMap {
  return parseReply(statsFetchResultSchema, result, STATS_FETCH, nodeUrl);
}

/** A statistic value as a number; null when it is absent or not a plain decimal number. */
export function parseStatNumber(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value.trim())) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export function getStat(stats: StatsMap, key: string): number | null {
  return parseStatNumber(stats[key]);
}

/** The numeric statistics of one group, keyed by name without the group prefix (unparseable values left out). */
export function getStatsGroup(stats: StatsMap, group: string): Record<string, number> {
  const prefix = `${group}.`;
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(stats)) {
    if (!key.startsWith(prefix)) continue;
    const parsed = parseStatNumber(value);
    if (parsed !== null) out[key.slice(prefix.length)] = parsed;
  }
  return out;
}
