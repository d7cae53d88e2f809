/** The global search box: a user, an IP or a Call-ID (a plain GET form, so it works before scripts load). */
export function SearchBox() {
  return (
    <search>
      <form method="get" action="/search" className="flex items-center">
        <label htmlFor="global-search" className="sr-only">
          Search a user, an IP or a Call-ID
        </label>
        <input
          id="global-search"
          name="q"
          type="search"
          maxLength={1024}
          placeholder="User, IP or Call-ID"
          className="w-56 rounded border-tremor-border py-1 text-sm"
          data-testid="global-search"
        />
      </form>
    </search>
  );
}
