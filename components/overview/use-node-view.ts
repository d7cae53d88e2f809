"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { type NodeView, parseNodeView, writeNodeView } from "./node-order";

/**
 * The node table's sort and filters, kept in the page's URL query (?sort=&dir=&q=&status=) so a copied link shows
 * the same view: read from the URL when the page opens, held in React state after that, and written back into
 * the URL on each change (the history entry replaced in place, no server round trip). The default view leaves
 * the URL without these parameters.
 */
export function useNodeView(): [NodeView, (change: Partial<NodeView>) => void] {
  // null where no Next router is mounted (a table rendered on its own, as unit tests do): the default view
  const params = useSearchParams() as URLSearchParams | null;
  const [view, setState] = useState<NodeView>(() =>
    parseNodeView(new URLSearchParams(params?.toString() ?? "")),
  );
  const setView = useCallback((change: Partial<NodeView>) => {
    setState((current) => {
      const next = { ...current, ...change };
      const query = writeNodeView(new URLSearchParams(window.location.search), next).toString();
      // null state: Next's router then keeps its own state and syncs useSearchParams (the chart range links read
      // it); passing its state object back makes it skip that sync
      window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}`);
      return next;
    });
  }, []);
  return [view, setView];
}
