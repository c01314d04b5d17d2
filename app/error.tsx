"use client";
// Shown instead of a page whose rendering failed (e.g. the database is unreachable): a friendly
// message and a way to retry; the details stay in the server log. Its code ships with every page.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main">
      <h1>Something went wrong</h1>
      <p role="alert">This page could not be loaded just now. Please try again in a moment.</p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>{" "}
        <a href="/todos">Your tasks</a> still work.
      </p>
    </main>
  );
}
