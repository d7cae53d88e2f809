import { z } from "zod";

// Server-side sorting and paging for the troubleshooting tables (thousands of rows per node never go to the
// browser whole). Filters are per page; this is the shared part.

export const pagingSchema = z.object({
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int("page must be a whole number").min(1, "page starts at 1").default(1),
  pageSize: z.coerce.number().int().min(10, "at least 10 rows").max(500, "at most 500 rows").default(100),
});
export type Paging = z.infer<typeof pagingSchema>;

export type Page<Row> = {
  rows: Row[];
  /** Rows that passed the filters, over every page. */
  total: number;
  page: number;
  pageSize: number;
  pages: number;
};

type Sortable = string | number | boolean | null;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function compare(a: Sortable, b: Sortable): number {
  // nulls ("not known") last in either direction
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** Sorts a copy of `rows` by `key(row)` (then by `tieBreak`), and cuts the requested page (clamped to the last). */
export function pageOf<Row>(
  rows: readonly Row[],
  key: (row: Row) => Sortable,
  paging: Paging,
  tieBreak: (row: Row) => Sortable = () => null,
): Page<Row> {
  const sign = paging.dir === "asc" ? 1 : -1;
  const sorted = [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const primary = ka === null || kb === null ? compare(ka, kb) : sign * compare(ka, kb);
    return primary !== 0 ? primary : compare(tieBreak(a), tieBreak(b));
  });
  const pages = Math.max(1, Math.ceil(sorted.length / paging.pageSize));
  const page = Math.min(paging.page, pages);
  const start = (page - 1) * paging.pageSize;
  return {
    rows: sorted.slice(start, start + paging.pageSize),
    total: sorted.length,
    page,
    pageSize: paging.pageSize,
    pages,
  };
}

/** Counts per key, largest first (ties by key): e.g. connections per source IP, to spot one IP holding hundreds. */
export function countBy<Row>(
  rows: readonly Row[],
  key: (row: Row) => string,
): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return [...counts.entries()]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || collator.compare(a.key, b.key));
}
