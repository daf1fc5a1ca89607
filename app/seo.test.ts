// What search engines get, from the real pages and metadata routes on a real PGlite seeded by
// the real seed: the sitemap lists the home page and every published article's page (nothing of
// the API, studio or library), robots.txt keeps those out and names the sitemap, and an article
// page carries a canonical URL and schema.org NewsArticle JSON-LD under the request's CSP nonce:
// a priced one marked paywalled (isAccessibleForFree false, hasPart naming the locked section,
// which is on the page) with not one sentence of its body in the HTML; a free one marked free.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PAYWALL_CLASS } from "@/lib/content/seo";
import { seedFreeArticles, seedPricedArticles, seedArticles } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { seed } from "@/lib/db/seed";
import { writeDevnet } from "@/lib/devnet/file";
import { fakeDevnet } from "@/lib/devnet/fixture";

const pageRequest = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => pageRequest.headers }));

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-seo-"));
const ORIGIN = "http://127.0.0.1:3200";
const NONCE = "c2VvLXRlc3Qtbm9uY2UtMTIz";
const priced = seedPricedArticles[0]!;
const free = seedFreeArticles[0]!;

beforeAll(async () => {
  process.env.KIOSK_DATA_DIR = dataDir;
  delete process.env.PUBLIC_URL;
  delete process.env.DATABASE_URL;
  const devnet = fakeDevnet();
  writeDevnet(dataDir, devnet);
  await seed(await getDb(), devnet);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function asRequest(extra: Record<string, string> = {}) {
  pageRequest.headers = new Headers({
    host: new URL(ORIGIN).host,
    "content-security-policy": `script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'`,
    ...extra,
  });
}

async function renderArticle(slug: string): Promise<string> {
  asRequest();
  const { default: ArticlePage } = await import("./articles/[slug]/page");
  return renderToStaticMarkup(await ArticlePage({ params: Promise.resolve({ slug }) }));
}

/** Every JSON-LD script on the page: its opening tag and its parsed JSON. */
function jsonLd(html: string): { tag: string; data: Record<string, unknown> }[] {
  return [...html.matchAll(/(<script type="application\/ld\+json"[^>]*>)(.*?)<\/script>/gs)].map((m) => ({
    tag: m[1]!,
    data: JSON.parse(m[2]!) as Record<string, unknown>,
  }));
}

describe("sitemap.xml and robots.txt", () => {
  it("the sitemap lists the home page and every published article's page, and nothing else", async () => {
    asRequest();
    const { default: sitemap } = await import("./sitemap");
    const pages = await sitemap();
    const urls = pages.map((p) => p.url);
    expect(urls).toEqual(
      expect.arrayContaining([`${ORIGIN}/`, ...seedArticles.map((a) => `${ORIGIN}/articles/${a.slug}`)]),
    );
    expect(urls).toHaveLength(seedArticles.length + 1);
    expect(urls.filter((u) => /\/(api|studio|library)(\/|$)/.test(new URL(u).pathname))).toEqual([]);
    for (const page of pages) expect(page.lastModified).toBeInstanceOf(Date);
  });

  it("robots.txt keeps the studio, the library, receipts and the API out and names the sitemap", async () => {
    asRequest();
    const { default: robots } = await import("./robots");
    const rules = await robots();
    expect(rules.sitemap).toBe(`${ORIGIN}/sitemap.xml`);
    const rule = Array.isArray(rules.rules) ? rules.rules[0]! : rules.rules;
    expect(rule).toMatchObject({ userAgent: "*", allow: "/" });
    expect(rule.disallow).toEqual(expect.arrayContaining(["/studio", "/library", "/api/"]));
  });
});

describe("an article page", () => {
  it("names its canonical URL on the site's origin, and its Open Graph and Twitter cards", async () => {
    asRequest();
    const { generateMetadata } = await import("./articles/[slug]/page");
    const meta = await generateMetadata({ params: Promise.resolve({ slug: priced.slug }) });
    expect(String(meta.metadataBase)).toBe(`${ORIGIN}/`);
    expect(meta.alternates?.canonical).toBe(`/articles/${priced.slug}`);
    expect(meta.openGraph).toMatchObject({
      type: "article",
      title: priced.title,
      description: priced.teaser,
      url: `/articles/${priced.slug}`,
      publishedTime: priced.publishedAt.toISOString(),
    });
    expect(meta.twitter).toMatchObject({ card: "summary_large_image", title: priced.title });
  });

  it("has a generated share card: a 1200×630 PNG, for published articles only", async () => {
    const { shareCardImage } = await import("./articles/[slug]/share-card");
    const res = await shareCardImage({ params: Promise.resolve({ slug: priced.slug }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]); // IHDR width, height
    await expect(
      shareCardImage({ params: Promise.resolve({ slug: "no-such-article" }) }),
    ).rejects.toMatchObject({
      digest: expect.stringContaining("404"),
    });
  });

  it("a priced article is a paywalled NewsArticle, under the CSP nonce, with no body in the HTML", async () => {
    const html = await renderArticle(priced.slug);
    const scripts = jsonLd(html);
    expect(scripts).toHaveLength(1);
    const { tag, data } = scripts[0]!;
    expect(tag).toContain(`nonce="${NONCE}"`);
    expect(data).toMatchObject({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: priced.title,
      url: `${ORIGIN}/articles/${priced.slug}`,
      author: { "@type": "Person" },
      publisher: { "@type": "Organization", name: "Kiosk" },
      datePublished: priced.publishedAt.toISOString(),
      isAccessibleForFree: false,
      hasPart: { "@type": "WebPageElement", isAccessibleForFree: false, cssSelector: `.${PAYWALL_CLASS}` },
      image: [`${ORIGIN}/articles/${priced.slug}/opengraph-image`],
    });
    expect(Date.parse(data.dateModified as string)).not.toBeNaN();
    // The selector names the locked panel, which is on the page; the body is not.
    expect(html).toMatch(new RegExp(`class="${PAYWALL_CLASS}[ "]`));
    expect(html).not.toContain(priced.secretSentence);
  });

  it("a free article is a NewsArticle marked free, without a paywalled part", async () => {
    const html = await renderArticle(free.slug);
    const scripts = jsonLd(html);
    expect(scripts).toHaveLength(1);
    const data = scripts[0]!.data;
    expect(data).toMatchObject({ "@type": "NewsArticle", headline: free.title, isAccessibleForFree: true });
    expect(data).not.toHaveProperty("hasPart");
    expect(html).toContain(free.secretSentence);
  });
});
