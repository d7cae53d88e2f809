"use client";

import { useEffect, useState } from "react";
import { type NodeView, STATUS_FILTERS, type StatusFilter } from "./node-order";

const statusLabels: Record<StatusFilter, string> = {
  down: "down",
  stale: "stale",
  problems: "with problems",
  up: "up",
};

/**
 * The node table's filters: name text and status. `shown` of `total` rows pass them; changes go to `onChange`
 * (which writes the URL query).
 */
export function NodeTableControls({
  view,
  onChange,
  shown,
  total,
}: {
  view: NodeView;
  onChange: (change: Partial<NodeView>) => void;
  shown: number;
  total: number;
}) {
  // the text box keeps its own state while typing; the URL follows it, and a new URL (back, a link) resets it
  const [text, setText] = useState(view.q);
  useEffect(() => setText(view.q), [view.q]);
  return (
    <div className="flex flex-wrap items-center gap-3 text-tremor-default">
      <input
        type="search"
        value={text}
        placeholder="Filter by name"
        aria-label="Filter nodes by name"
        data-testid="node-filter"
        className="w-56 rounded-tremor-default border border-tremor-border px-2 py-1"
        onChange={(e) => {
          setText(e.target.value);
          onChange({ q: e.target.value });
        }}
      />
      <select
        value={view.status ?? ""}
        aria-label="Filter nodes by status"
        data-testid="node-status-filter"
        className="rounded-tremor-default border border-tremor-border px-2 py-1"
        onChange={(e) => {
          const value = e.target.value;
          onChange({
            status: (STATUS_FILTERS as readonly string[]).includes(value) ? (value as StatusFilter) : null,
          });
        }}
      >
        <option value="">any status</option>
        {STATUS_FILTERS.map((s) => (
          <option key={s} value={s}>
            {statusLabels[s]}
          </option>
        ))}
      </select>
      <span className="text-tremor-content" data-testid="node-count" data-shown={shown} data-total={total}>
        {shown === total ? `${total} node${total === 1 ? "" : "s"}` : `${shown} of ${total} nodes`}
      </span>
    </div>
  );
}
