"use client";

export type PasswordMode = "type" | "generate";

/**
 * The password part of the add and change-password forms: type one, or let the server generate a strong one
 * (shown once after saving). `error` is the API's message for the password field.
 */
export function PasswordChoice({
  idPrefix,
  mode,
  password,
  minLength,
  error,
  onMode,
  onPassword,
}: {
  idPrefix: string;
  mode: PasswordMode;
  password: string;
  /** The policy's minimum (characters), when the page knows it. */
  minLength: number | null;
  error: string | undefined;
  onMode: (mode: PasswordMode) => void;
  onPassword: (password: string) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-tremor-content">Password</legend>
      <label className="flex items-center gap-2">
        <input
          type="radio"
          name={`${idPrefix}-password-mode`}
          checked={mode === "generate"}
          onChange={() => onMode("generate")}
        />
        Generate a strong password
      </label>
      <label className="flex items-center gap-2">
        <input
          type="radio"
          name={`${idPrefix}-password-mode`}
          checked={mode === "type"}
          onChange={() => onMode("type")}
        />
        Type one
      </label>
      {mode === "type" ? (
        <input
          id={`${idPrefix}-password`}
          type="password"
          autoComplete="new-password"
          aria-label="Password"
          value={password}
          onChange={(event) => onPassword(event.target.value)}
          aria-invalid={error ? true : undefined}
          placeholder={minLength === null ? undefined : `at least ${minLength} characters`}
          className="rounded border-tremor-border text-sm"
        />
      ) : null}
      {error ? (
        <span className="max-w-xs text-xs text-red-600" data-testid={`${idPrefix}-error-password`}>
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
