import { Card, Text } from "@tremor/react";
import type { ReactNode } from "react";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import type { Page } from "@/lib/troubleshoot/table-query";
import { Pager } from "./pager";

/** A table page's body: the table in a card, what to say when nothing matches, the pager, and a 10 s refresh. */
export function PagedTable({
  children,
  page,
  path,
  params,
  emptyText,
}: {
  children: ReactNode;
  page: Omit<Page<unknown>, "rows">;
  path: string;
  params: Record<string, string | undefined>;
  emptyText: string;
}) {
  return (
    <>
      <Card className="p-0">
        {children}
        {page.total === 0 ? <Text className="p-4">{emptyText}</Text> : null}
      </Card>
      <Pager
        path={path}
        params={params}
        page={page.page}
        pages={page.pages}
        pageSize={page.pageSize}
        total={page.total}
      />
      <RefreshServerData everyMs={10_000} />
    </>
  );
}
