// Previous/next links for `?page=N` lists; page 1 is plain `/` so there is one URL per page.
import { listPageHref as hrefOf } from "@/lib/registrants/list-url";

export function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <a href={hrefOf(page - 1)} rel="prev">← Newer</a> : <span />}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <a href={hrefOf(page + 1)} rel="next">Older →</a> : <span />}
    </nav>
  );
}
