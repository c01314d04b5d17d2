// GET /robots.txt: the site lists people's names and emails, so it asks every crawler to stay out.
// The pages say `noindex` too (their robots metadata), for a crawler that arrives by a link anyway.
import type { MetadataRoute } from "next";

export default function robots(): MetadataRoute.Robots {
  return { rules: { userAgent: "*", disallow: "/" } };
}
