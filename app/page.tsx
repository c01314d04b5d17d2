// GET / and GET /?page=N: every registrant, newest first, 50 a page. Rendered per request by Next;
// in production the launcher's document cache (server/document-cache.ts) keeps what this renders
// and serves it again while the data version is unchanged (docs/decisions/launcher-and-document-cache.md).
// Any spelling of a list URL other than the canonical one is redirected to it
// (lib/registrants/list-url.ts), so each real page has one URL.
import type { Metadata } from "next";
import { permanentRedirect } from "next/navigation";
import { listRegistrants } from "@/db/registrants";
import { readListRequest } from "@/lib/registrants/list-url";
import { RegistrantList } from "./registrant-list";

// Names and emails of people: kept out of search engines (see also app/robots.ts).
export const metadata: Metadata = { title: "Registrants", robots: { index: false, follow: false } };

export default async function RegistrantsPage({ searchParams }: PageProps<"/">) {
  const request = readListRequest(await searchParams);
  if ("redirectTo" in request) permanentRedirect(request.redirectTo);
  return <RegistrantList {...await listRegistrants(request.page)} />;
}
