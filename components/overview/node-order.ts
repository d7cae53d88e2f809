import { z } from "zod";
import { branchRateView, branchWindow } from "@/components/live/branch-rate";
import { type NodeTone, nodeTone, problemProbes, shownNumber } from "@/components/live/fleet-view";
import { SOCKETS_WITHOUT_REGISTRATION_WARNING } from "@/components/live/health-figures";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";

// How the overview's node table orders and filters its rows, and how that is written in the page's URL query
// (?sort=registrations&dir=desc&q=edge&status=down) so a link reproduces the view. Pure: no React here.

/**
 * Whether a node's sockets-vs-registrations reading needs a look: SOCKETS_WITHOUT_REGISTRATION_WARNING (10 %) or more of its WS/WSS connections carry no
 * registration, or a registration's connection is gone (from ul.dump joined with core.tcp_list).
 */
export function socketsWarn(s: NonNullable<OverviewNode["socketsVsRegistrations"]>): boolean {
  return (
    (s.shareWithout ?? 0) >= SOCKETS_WITHOUT_REGISTRATION_WARNING || s.registrationsWithoutConnection > 0
  );
}

/**
 * An up node's health numbers that are not fine: the branch-failure rate at warning or bad (seed: under 1 %),
 * RTPEngine sessions not matching answered calls, or sockets without registrations (see socketsWarn).
 */
export function unhealthyNumbers(node: OverviewNode): ("branch" | "sessions" | "sockets")[] {
  if (!node.up) return [];
  const out: ("branch" | "sessions" | "sockets")[] = [];
  const branch = branchRateView(branchWindow(node), node.branchFailure).tone;
  if (branch === "bad" || branch === "warning") out.push("branch");
  if (node.sessionsVsCalls && node.sessionsVsCalls.gap !== 0) out.push("sessions");
  if (node.socketsVsRegistrations && socketsWarn(node.socketsVsRegistrations)) out.push("sockets");
  return out;
}

/**
 * Problems first: 0 down, 1 stale (our knowledge is older than 3 poll intervals), 2 up with a probe not ok or an
 * unhealthy health number, 3 fine.
 */
export function problemRank(node: OverviewNode, elapsedMs: number): 0 | 1 | 2 | 3 {
  const tone = nodeTone(node, elapsedMs);
  if (tone === "down") return 0;
  if (tone === "stale") return 1;
  return problemProbes(node).length > 0 || unhealthyNumbers(node).length > 0 ? 2 : 3;
}

/** The table's default order: problemRank, then name. */
export function problemsFirst(nodes: readonly OverviewNode[], elapsedMs: number): OverviewNode[] {
  return nodes
    .map((node) => ({ node, rank: problemRank(node, elapsedMs) }))
    .sort((a, b) => a.rank - b.rank || a.node.name.localeCompare(b.node.name))
    .map(({ node }) => node);
}

export const SORT_KEYS = [
  "name",
  "status",
  "connections",
  "registrations",
  "dialogs",
  "branch",
  "sessions",
  "sockets",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const STATUS_FILTERS = ["down", "stale", "problems", "up"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The view a URL asks for; `sort` null is the default problems-first order. */
export type NodeView = { sort: SortKey | null; desc: boolean; q: string; status: StatusFilter | null };

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const ViewQuerySchema = z.object({
  sort: z.preprocess(first, z.enum(SORT_KEYS).nullable().catch(null)),
  dir: z.preprocess(first, z.enum(["asc", "desc"]).catch("asc")),
  q: z.preprocess(first, z.string().max(200).catch("")),
  status: z.preprocess(first, z.enum(STATUS_FILTERS).nullable().catch(null)),
});

/** Reads ?sort=&dir=&q=&status= (unknown values fall back to the default view, never an error). */
export function parseNodeView(query: URLSearchParams): NodeView {
  const view = ViewQuerySchema.parse({
    sort: query.get("sort"),
    dir: query.get("dir") ?? "asc",
    q: query.get("q") ?? "",
    status: query.get("status"),
  });
  return { sort: view.sort, desc: view.sort !== null && view.dir === "desc", q: view.q, status: view.status };
}

/** `query` with the view written into it (default parts removed, other parameters such as ?range= kept). */
export function writeNodeView(query: URLSearchParams, view: NodeView): URLSearchParams {
  const next = new URLSearchParams(query);
  for (const key of ["sort", "dir", "q", "status"]) next.delete(key);
  if (view.sort) next.set("sort", view.sort);
  if (view.sort && view.desc) next.set("dir", "desc");
  if (view.q.trim() !== "") next.set("q", view.q);
  if (view.status) next.set("status", view.status);
  return next;
}

/** Whether the node passes the status filter. */
export function matchesStatus(node: OverviewNode, status: StatusFilter | null, elapsedMs: number): boolean {
  if (status === null) return true;
  const tone: NodeTone = nodeTone(node, elapsedMs);
  if (status === "problems") return problemRank(node, elapsedMs) < 3;
  return status === "up" ? tone === "ok" : tone === status;
}

const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

/**
 * The number a column sorts by, undefined when unknown (sorted last either way, never as 0): connections are
 * WS + WSS, registrations and dialogs the shown (live or last-known) counts, branch the worst direction's 5-min
 * failure rate, sessions the RTPEngine sessions − answered calls gap, sockets the share without a registration.
 */
export function sortValue(node: OverviewNode, key: SortKey, elapsedMs: number): number | string | undefined {
  const shown = (k: keyof NodeNumbers) => shownNumber(node, k);
  const orUndefined = (v: number | null | undefined) => (v === null ? undefined : v);
  switch (key) {
    case "name":
      return node.name;
    case "status":
      return problemRank(node, elapsedMs);
    case "connections":
      return orUndefined(sum(shown("ws"), shown("wss")));
    case "registrations":
      return orUndefined(shown("registrations"));
    case "dialogs":
      return orUndefined(shown("dialogsActive"));
    case "branch":
      return orUndefined(branchWindow(node)?.worst?.rate ?? null);
    case "sessions":
      return node.up && node.sessionsVsCalls ? node.sessionsVsCalls.gap : undefined;
    case "sockets":
      return node.up && node.socketsVsRegistrations
        ? orUndefined(node.socketsVsRegistrations.shareWithout)
        : undefined;
  }
}
