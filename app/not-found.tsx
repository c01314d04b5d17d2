import { SiteHeader } from "./site-header";

export default function NotFound() {
  return (
    <>
      <SiteHeader />
      <main id="main">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <a href="/">See the registrants</a> or{" "}
          <a href="/register">register</a>.
        </p>
      </main>
    </>
  );
}
