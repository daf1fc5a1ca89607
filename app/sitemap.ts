// GET /sitemap.xml → the home page and every published article's page, with when each last
// changed; from the cached catalogue (no query while its version is current). API routes, the
// studio and the library are not pages for search engines and are left out.
import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { fromCatalogue, publishedCatalogue } from "@/lib/content/catalog-cache";
import { sitemapPages } from "@/lib/content/seo";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { baseUrlForPage } from "@/lib/http/origin";

export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const origin = baseUrlForPage(env().publicUrl, await headers());
  const entries = await publishedCatalogue(await getDb());
  return fromCatalogue(entries, `sitemap ${origin}`, () => sitemapPages(entries, origin));
}
