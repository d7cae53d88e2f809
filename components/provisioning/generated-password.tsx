"use client";

import { useState } from "react";

/**
 * A generated password, shown once (it is not kept anywhere the dashboard can show it again) with a copy button.
 * `aor` names the user it belongs to.
 */
export function GeneratedPassword({ aor, password }: { aor: string; password: string }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied("yes");
    } catch {
      // clipboard access needs a secure context (HTTPS or localhost) and the user's permission
      setCopied("failed");
    }
  }
  return (
    <div
      className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm"
      data-testid="generated-password-box"
    >
      <p>
        Password for <span className="font-medium">{aor}</span>. It is shown only now: copy it before leaving
        this page.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <code
          className="select-all rounded bg-white px-2 py-1 font-mono text-base"
          data-testid="generated-password"
        >
          {password}
        </code>
        <button
          type="button"
          className="rounded border border-tremor-border px-2 py-0.5 hover:border-tremor-brand"
          onClick={copy}
        >
          Copy
        </button>
        {copied === "yes" ? <span className="text-emerald-700">copied</span> : null}
        {copied === "failed" ? (
          <span className="text-red-600">the browser refused the clipboard: select the text and copy it</span>
        ) : null}
      </div>
    </div>
  );
}
