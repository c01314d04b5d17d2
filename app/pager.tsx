// Previous/next links for `?page=N` lists; page 1 is plain `/` so there is one URL per page.
import Link from "next/link";
import { listPageHref as hrefOf } from "@/lib/registrants/list-url";

export function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <Link href={hrefOf(page - 1)} rel="prev">← Newer</Link> : <span />}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link href={hrefOf(page + 1)} rel="next">Older →</Link> : <span />}
    </nav>
  );
}
