"use client";
// Last resort when even the root layout fails: it replaces the whole document, so it brings the
// site's stylesheet itself (an inline style attribute would be refused by the Content-Security-Policy).
import "./globals.css";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main id="main">
          <h1>Something went wrong</h1>
          <p role="alert">The site could not be loaded just now. Please try again in a moment.</p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
