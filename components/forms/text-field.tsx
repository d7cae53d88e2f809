"use client";

import { TextInput, type TextInputProps } from "@tremor/react";

type TextFieldProps = Omit<TextInputProps, "id" | "error" | "errorMessage"> & {
  id: string;
  label: string;
  /** The field's validation message from the server action, shown under the input. */
  error: string | undefined;
  className?: string;
};

/** A labelled text input with its field error underneath, as every form here lays them out. */
export function TextField({ id, label, error, className, ...input }: TextFieldProps) {
  return (
    <div className={className}>
      <label htmlFor={id} className="text-sm font-medium text-tremor-content-strong">
        {label}
      </label>
      <TextInput id={id} error={Boolean(error)} errorMessage={error} className="mt-1" {...input} />
    </div>
  );
}

/** The form-level error banner (not tied to one field). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-sm text-red-600">
      {message}
    </p>
  );
}
