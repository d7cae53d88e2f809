import Link from "next/link";

/** "rows 101–200 of 5,312" with previous/next links that keep the other search params. */
export function Pager({
  path,
  params,
  page,
  pages,
  pageSize,
  total,
}: {
  path: string;
  params: Record<string, string | undefined>;
  page: number;
  pages: number;
  pageSize: number;
  total: number;
}) {
  const href = (p: number) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value && key !== "page") next.set(key, value);
    next.set("page", String(p));
    return `${path}?${next.toString()}`;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      className="mt-3 flex items-center gap-4 text-sm text-tremor-content"
      aria-label="Pages"
      data-testid="pager"
    >
      <span>
        rows {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")}
      </span>
      {page > 1 ? <Link href={href(page - 1)}>← previous</Link> : null}
      {page < pages ? <Link href={href(page + 1)}>next →</Link> : null}
    </nav>
  );
}
