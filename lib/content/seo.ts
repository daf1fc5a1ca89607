// What search engines read about the catalogue: the sitemap's pages and an article's schema.org
// NewsArticle. Built from CatalogueEntry (public fields only), so nothing here can carry a priced
// body. A priced article is marked as paywalled (isAccessibleForFree false, hasPart naming the
// locked section by CSS class): the paywall structured data Google asks for, so a teaser with a
// paywall is not read as cloaking. The locked section holds the paywall, never the body.
// Pure: no Next, no env, no database access.
import { SERVICE_NAME, isFree, type CatalogueEntry } from "./catalog";

/** The class of the element that stands where a priced article's body would be (LockedPanel). */
export const PAYWALL_CLASS = "kiosk-paywall";

export type SitemapPage = { url: string; lastModified: Date };

/** The home page and every published article's page; no API routes, studio or library. */
export function sitemapPages(entries: readonly CatalogueEntry[], origin: string): SitemapPage[] {
  const articles = entries.filter((e) => e.resource.pagePath !== null);
  const newest = articles.reduce<Date | null>(
    (latest, e) => (latest && latest >= e.lastModified ? latest : e.lastModified),
    null,
  );
  return [
    { url: `${origin}/`, lastModified: newest ?? new Date(0) },
    ...articles.map((e) => ({ url: origin + e.resource.pagePath, lastModified: e.lastModified })),
  ];
}

export type NewsArticleLd = Record<string, unknown> & { "@type": "NewsArticle" };

/** schema.org NewsArticle for an article's page; `image` is its Open Graph image when it has one. */
export function newsArticleLd(
  entry: CatalogueEntry,
  origin: string,
  options: { image?: string } = {},
): NewsArticleLd {
  const r = entry.resource;
  if (r.kind !== "article" || r.pagePath === null) throw new Error(`${r.key} is not an article`);
  const url = origin + r.pagePath;
  const free = isFree(r);
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: r.title,
    description: entry.teaser ?? undefined,
    url,
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
    author: { "@type": "Person", name: r.publisherName },
    publisher: {
      "@type": "Organization",
      name: SERVICE_NAME,
      url: `${origin}/`,
      logo: { "@type": "ImageObject", url: `${origin}/apple-icon.png` },
    },
    datePublished: (entry.publishedAt ?? entry.lastModified).toISOString(),
    dateModified: entry.lastModified.toISOString(),
    ...(options.image ? { image: [options.image] } : {}),
    isAccessibleForFree: free,
    ...(free
      ? {}
      : {
          hasPart: {
            "@type": "WebPageElement",
            isAccessibleForFree: false,
            cssSelector: `.${PAYWALL_CLASS}`,
          },
        }),
  };
}

/**
 * JSON for inside a <script> element: `<` (so no `</script>` or `<!--` can end or bend it), `>`,
 * `&` and the two line separators JavaScript once refused are written as \u escapes, which JSON
 * readers decode to the same characters.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
