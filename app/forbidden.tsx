import Link from "next/link";

// Rendered with HTTP 403 when a page calls forbidden() (requirePage without the permission).
export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md text-center">
      <h1 className="text-2xl font-semibold text-tremor-content-strong">403 · Not allowed</h1>
      <p className="mt-2 text-tremor-content">Your role does not give access to this page.</p>
      <Link href="/" className="mt-4 inline-block text-tremor-brand hover:underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
