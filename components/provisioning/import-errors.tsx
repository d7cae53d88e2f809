import type { ImportRowError } from "@/lib/provisioning/types";

const SHOWN = 500;

/** The rejected rows of an import, by line number in the file (header = line 1); the first 500 are listed. */
export function ImportErrors({ errors }: { errors: ImportRowError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="max-h-96 overflow-auto rounded border border-tremor-border">
      <table className="w-full text-left text-xs" data-testid="import-errors">
        <thead className="sticky top-0 bg-tremor-background-muted">
          <tr>
            <th className="px-2 py-1">Line</th>
            <th className="px-2 py-1">Field</th>
            <th className="px-2 py-1">Problem</th>
          </tr>
        </thead>
        <tbody>
          {errors.slice(0, SHOWN).map((e) => (
            <tr
              key={`${e.line}/${e.field}/${e.message}`}
              className="border-t border-tremor-border"
              data-testid="import-error-row"
            >
              <td className="px-2 py-1 tabular-nums">{e.line}</td>
              <td className="px-2 py-1">{e.field}</td>
              <td className="px-2 py-1">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {errors.length > SHOWN ? (
        <p className="p-2 text-xs text-tremor-content">
          {(errors.length - SHOWN).toLocaleString("en-US")} more bad rows are not listed.
        </p>
      ) : null}
    </div>
  );
}
