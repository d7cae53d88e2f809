"use client";

import { ProgressBar } from "@tremor/react";
import { useState } from "react";
import { csrfHeaders } from "@/lib/auth/csrf-client";
import type { ImportMode, ImportResultEvent } from "@/lib/provisioning/types";
import { readError } from "./api";
import { ImportErrors } from "./import-errors";
import { readNdjson } from "./ndjson";

type Run = { dryRun: boolean; done: number; total: number | null };

/**
 * CSV import (POST /api/v1/subscribers/import, body text/csv): a dry run first, which lists the bad rows with their
 * line numbers; then the real run in the chosen mode. The progress bar follows the route's NDJSON progress events.
 */
export function ImportForm() {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>("all_or_nothing");
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);
  const [dryResult, setDryResult] = useState<ImportResultEvent | null>(null);
  const [result, setResult] = useState<ImportResultEvent | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    if (dryRun) setDryResult(null);
    setRun({ dryRun, done: 0, total: null });
    try {
      const query = new URLSearchParams({ dryRun: dryRun ? "1" : "0", mode });
      const response = await fetch(`/api/v1/subscribers/import?${query.toString()}`, {
        method: "POST",
        headers: { "content-type": "text/csv", ...csrfHeaders() },
        body: file,
      });
      if (!response.ok || !response.body) {
        setError((await readError(response)).message);
        return;
      }
      let final: ImportResultEvent | null = null;
      await readNdjson(response.body, (event) => {
        if (event.type === "progress") setRun({ dryRun, done: event.done, total: event.total });
        else if (event.type === "result") final = event;
        else setError(event.error);
      });
      if (!final) setError((previous) => previous ?? "The import stopped before its result");
      else if (dryRun) setDryResult(final);
      else setResult(final);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  const percent = run?.total ? Math.round((100 * run.done) / run.total) : 0;
  const blocked = dryResult !== null && dryResult.errors.length > 0 && mode === "all_or_nothing";
  return (
    <div className="space-y-4 text-sm" data-testid="import-form">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1">
          <span className="text-tremor-content">CSV file (header: username,domain,password)</span>
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setDryResult(null);
              setResult(null);
              setRun(null);
            }}
          />
        </label>
        <fieldset className="flex flex-col gap-1">
          <legend className="text-tremor-content">When rows are bad</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              checked={mode === "all_or_nothing"}
              onChange={() => setMode("all_or_nothing")}
            />
            import nothing (all or nothing)
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" checked={mode === "skip_bad"} onChange={() => setMode("skip_bad")} />
            skip the bad rows, import the rest
          </label>
        </fieldset>
        <button
          type="button"
          disabled={!file || busy}
          onClick={() => send(true)}
          className="rounded border border-tremor-border px-3 py-1.5 hover:border-tremor-brand disabled:opacity-60"
        >
          Dry run
        </button>
        <button
          type="button"
          disabled={!file || busy || dryResult === null || blocked}
          title={dryResult === null ? "Run a dry run of this file first" : undefined}
          onClick={() => send(false)}
          className="rounded bg-tremor-brand px-3 py-1.5 text-white disabled:opacity-60"
        >
          Import
        </button>
      </div>
      {run ? (
        <div className="max-w-xl space-y-1" data-testid="import-progress">
          <ProgressBar value={percent} showAnimation={false} />
          <p className="text-tremor-content">
            {run.dryRun ? "Checking" : "Importing"}:{" "}
            {run.total === null
              ? "waiting for the server…"
              : `${run.done.toLocaleString("en-US")} of ${run.total.toLocaleString("en-US")} rows`}
          </p>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      ) : null}
      {dryResult && !result ? (
        <div className="space-y-2" data-testid="import-dry-result">
          <p>
            Dry run: {dryResult.valid.toLocaleString("en-US")} of {dryResult.total.toLocaleString("en-US")}{" "}
            rows valid, {dryResult.errors.length.toLocaleString("en-US")} bad. Nothing was written.
            {blocked
              ? " All or nothing would import nothing: fix the file, or choose to skip the bad rows."
              : ""}
          </p>
          <ImportErrors errors={dryResult.errors} />
        </div>
      ) : null}
      {result ? (
        <div className="space-y-2" data-testid="import-result">
          <p role="status" className={result.imported > 0 ? "text-emerald-700" : "text-red-600"}>
            Imported {result.imported.toLocaleString("en-US")} of {result.total.toLocaleString("en-US")} rows
            {result.errors.length > 0
              ? `; ${result.errors.length.toLocaleString("en-US")} rows were bad`
              : ""}
            .
          </p>
          <ImportErrors errors={result.errors} />
        </div>
      ) : null}
    </div>
  );
}
