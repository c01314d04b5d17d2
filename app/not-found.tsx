import Link from "next/link";
import { SiteHeader } from "./site-header";

export default function NotFound() {
  return (
    <>
      <SiteHeader />
      <main id="main">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <Link href="/">See the registrants</Link> or{" "}
          <Link href="/register">register</Link>.
        </p>
      </main>
    </>
  );
}
