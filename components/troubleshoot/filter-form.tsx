/** A GET form over the page's filters: the URL is the state, so a filtered view can be shared and reloaded. */
export function FilterForm({
  fields,
  values,
  errors,
}: {
  fields: {
    name: string;
    label: string;
    placeholder?: string;
    /** A select instead of a text box: values, or { value, label } pairs. */
    options?: (string | { value: string; label: string })[];
  }[];
  values: Record<string, string | undefined>;
  /** Per field, what is wrong with its value (the value stays in the box). */
  errors: Record<string, string>;
}) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 text-sm" data-testid="filter-form">
      {fields.map((field) => (
        <div key={field.name} className="flex flex-col gap-1">
          <label htmlFor={`filter-${field.name}`} className="text-tremor-content">
            {field.label}
          </label>
          {field.options ? (
            <select
              name={field.name}
              defaultValue={values[field.name] ?? ""}
              className="rounded border-tremor-border text-sm"
            >
              <option value="">any</option>
              {field.options.map((option) => {
                const { value, label } =
                  typeof option === "string" ? { value: option, label: option } : option;
                return (
                  <option key={value} value={value}>
                    {label}
                  </option>
                );
              })}
            </select>
          ) : (
            <input
              id={`filter-${field.name}`}
              name={field.name}
              defaultValue={values[field.name] ?? ""}
              placeholder={field.placeholder}
              aria-invalid={errors[field.name] ? true : undefined}
              className="rounded border-tremor-border text-sm"
            />
          )}
          {errors[field.name] ? (
            <span className="max-w-xs text-xs text-red-600" data-testid={`error-${field.name}`}>
              {errors[field.name]}
            </span>
          ) : null}
        </div>
      ))}
      {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
      {values.dir ? <input type="hidden" name="dir" value={values.dir} /> : null}
      <button type="submit" className="rounded bg-tremor-brand px-3 py-1.5 text-white">
        Filter
      </button>
    </form>
  );
}
