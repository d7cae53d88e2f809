"use client";

import { Button } from "@tremor/react";
import { useActionState } from "react";
import { FormError, TextField } from "@/components/forms/text-field";
import {
  type HandshakeFormState,
  type RtpengineFormState,
  setHandshakeAction,
  setRtpengineAddressesAction,
} from "./actions";

export type ProbeSettingsView = {
  handshake: { url: string; origin: string; intervalS: string; verifyTls: boolean };
  /** The overrides as form text (lib/nodes/rtpengine-addresses-text.ts). */
  rtpengineText: string;
  /** What the probe uses now when the node sets no target: "KAMDASH_HANDSHAKE", "lab default", "none". */
  handshakeDefault: string;
};

const saved = (show: boolean, what: string) =>
  show ? (
    <p role="status" className="text-xs text-emerald-700">
      Saved: {what} applies from the node's next poll cycle.
    </p>
  ) : null;

/** A node's handshake probe and RTPEngine address settings, folded under its row actions. */
export function ProbeSettingsForm({ name, settings }: { name: string; settings: ProbeSettingsView }) {
  const [hs, hsAction, hsPending] = useActionState(setHandshakeAction, {
    values: settings.handshake,
    fieldErrors: {},
    formError: null,
    saved: false,
  } satisfies HandshakeFormState);
  const [rt, rtAction, rtPending] = useActionState(setRtpengineAddressesAction, {
    text: settings.rtpengineText,
    fieldError: null,
    formError: null,
    saved: false,
  } satisfies RtpengineFormState);
  const id = (field: string) => `node-${name}-${field}`;
  return (
    <details data-testid="node-probe-settings">
      <summary className="cursor-pointer text-xs text-tremor-content">
        Probe settings: handshake target and interval, RTPEngine addresses
      </summary>
      <div className="mt-2 grid max-w-5xl gap-6 lg:grid-cols-2">
        <form action={hsAction} className="space-y-2" noValidate data-testid="node-handshake-form">
          <input type="hidden" name="name" value={name} />
          <FormError message={hs.formError} />
          <TextField
            id={id("hs-url")}
            label="Handshake WS/WSS URL"
            name="url"
            placeholder={`empty: ${settings.handshakeDefault}`}
            defaultValue={hs.values.url}
            error={hs.fieldErrors.url}
          />
          <TextField
            id={id("hs-origin")}
            label="Origin"
            name="origin"
            placeholder="https://phone.example.org"
            defaultValue={hs.values.origin}
            error={hs.fieldErrors.origin}
          />
          <TextField
            id={id("hs-interval")}
            label="Interval (s)"
            name="intervalS"
            inputMode="numeric"
            placeholder="empty: KAMDASH_HANDSHAKE_INTERVAL_MS"
            defaultValue={hs.values.intervalS}
            error={hs.fieldErrors.intervalS}
          />
          <label className="flex items-center gap-2 text-sm" htmlFor={id("hs-verify")}>
            <input
              id={id("hs-verify")}
              type="checkbox"
              name="verifyTls"
              defaultChecked={hs.values.verifyTls}
            />
            Verify the TLS certificate (wss://)
          </label>
          <Button type="submit" size="xs" loading={hsPending} disabled={hsPending}>
            Save handshake
          </Button>
          {saved(hs.saved, "the handshake setting")}
        </form>
        <form action={rtAction} className="space-y-2" noValidate data-testid="node-rtpengine-form">
          <input type="hidden" name="name" value={name} />
          <FormError message={rt.formError} />
          <label htmlFor={id("rtp")} className="text-sm font-medium text-tremor-content-strong">
            RTPEngine addresses
          </label>
          <p className="text-xs text-tremor-content">
            One media server per line: its URL as rtpengine.show lists it, then ng=udp:host:port and/or
            metrics=http://host:port/metrics. Empty: reach each one at the URL Kamailio lists.
          </p>
          <textarea
            id={id("rtp")}
            name="rtpengineAddresses"
            rows={4}
            className="w-full rounded border border-tremor-border p-2 font-mono text-xs"
            placeholder="udp:10.0.0.5:22222 ng=udp:127.0.0.1:22222 metrics=http://127.0.0.1:22223/metrics"
            defaultValue={rt.text}
            aria-invalid={rt.fieldError ? true : undefined}
          />
          {rt.fieldError ? (
            <p role="alert" className="text-xs text-red-600" data-testid="node-rtpengine-error">
              {rt.fieldError}
            </p>
          ) : null}
          <Button type="submit" size="xs" loading={rtPending} disabled={rtPending}>
            Save addresses
          </Button>
          {saved(rt.saved, "the address setting")}
        </form>
      </div>
    </details>
  );
}
