// GET / and GET /?page=N (next.config.ts rewrites both here): every registrant, newest first, 50 a
// page. No request data is read, so each page is rendered once and served from the page cache
// until the data version changes (lib/page-cache-handler.mjs); a bad N shows page 1.
import type { Metadata } from "next";
import { listRegistrants } from "@/db/registrants";
import { parsePageParam } from "@/lib/page-param";
import { RegistrantList } from "../../registrant-list";

export const metadata: Metadata = { title: "Registrants" };

// No page is rendered at build time (the build has no database); each is rendered on its first
// request and cached from then on.
export function generateStaticParams(): { n: string }[] {
  return [];
}

export default async function RegistrantsPage({ params }: PageProps<"/page/[n]">) {
  return <RegistrantList {...await listRegistrants(parsePageParam((await params).n))} />;
}
