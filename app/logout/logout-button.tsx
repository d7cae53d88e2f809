import { logoutAction } from "./actions";

/** A sign-out button for the app shell (server component: a plain form posting to the server action). */
export function LogoutButton({ className }: { className?: string }) {
  return (
    <form action={logoutAction}>
      <button
        type="submit"
        className={className ?? "text-sm text-tremor-content hover:text-tremor-content-emphasis"}
      >
        Sign out
      </button>
    </form>
  );
}
