// What a reader sees before paying anything: the catalogue, a locked article (teaser, price, the
// locked panel, and not one sentence of the body), and a free article in full.
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { DiscoveryDocument } from "../lib/content/discovery";
import { formatPrice } from "../lib/content/money";
import { seedArticles, seedFreeArticles, seedPricedArticles } from "../lib/db/seed-content";
import { expect, test } from "./fixtures";

const priced = seedPricedArticles[0]!;
const free = seedFreeArticles[0]!;

test("the home page lists every seeded article with its price", async ({ page }) => {
  await page.goto("/");
  for (const article of seedArticles) {
    const card = page.locator(`[data-testid="article-card"][data-slug="${article.slug}"]`);
    await expect(card.getByRole("link", { name: article.title })).toBeVisible();
    await expect(card).toContainText(formatPrice(article.priceAtomic));
    // A card is a teaser; no body sentence reaches the list.
    await expect(card).not.toContainText(article.secretSentence);
  }
  // Prices the way readers read them: "$0.05", not "50000" or "0.05 USDC".
  expect(formatPrice(priced.priceAtomic)).toMatch(/^\$\d+\.\d{2,}$/);
  await expect(page.locator(`[data-slug="${priced.slug}"] [data-testid="article-card-price"]`)).toHaveText(
    formatPrice(priced.priceAtomic),
  );
});

test("the studio is one click away: from the header on every page, and from the home page's hint", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByTestId("publish-hint")).toContainText("studio");
  await page.getByTestId("publish-hint").getByRole("link", { name: "studio" }).click();
  await expect(page).toHaveURL(/\/studio$/);
  await page.goto(`/articles/${priced.slug}`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Studio" }).click();
  await expect(page).toHaveURL(/\/studio$/);
  await expect(page.getByRole("heading").first()).toBeVisible();
});

test("a priced article shows its teaser, price and the locked panel, never its body", async ({
  page,
  request,
}) => {
  const response = await page.goto(`/articles/${priced.slug}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: priced.title })).toBeVisible();
  await expect(page.getByTestId("article-teaser")).toHaveText(priced.teaser);
  await expect(page.getByTestId("article-price")).toHaveText(formatPrice(priced.priceAtomic));
  await expect(page.getByTestId("locked-panel")).toBeVisible();
  await expect(page.getByTestId("locked-panel")).toContainText(formatPrice(priced.priceAtomic));
  await expect(page.locator("#unlock-slot")).toBeAttached();
  await expect(page.getByTestId("article-body")).toHaveCount(0);
  expect(await page.content()).not.toContain(priced.secretSentence);

  // Not in the server's HTML (with its RSC payload) either, whatever the browser rendered.
  const html = await (await request.get(`/articles/${priced.slug}`)).text();
  expect(html).toContain(priced.title);
  expect(html).not.toContain(priced.secretSentence);
});

test("a free article shows its body to anyone", async ({ page }) => {
  await page.goto(`/articles/${free.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: free.title })).toBeVisible();
  await expect(page.getByTestId("article-price")).toHaveText("Free");
  await expect(page.getByTestId("article-body")).toContainText(free.secretSentence);
  await expect(page.getByTestId("locked-panel")).toHaveCount(0);
});

test("an unknown article is a 404", async ({ page }) => {
  const response = await page.goto("/articles/no-such-article");
  expect(response?.status()).toBe(404);
});

test("an agent finds what is for sale at /.well-known/x402, and every priced entry's 402 asks what it says", async ({
  request,
}) => {
  const res = await request.get("/.well-known/x402");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as DiscoveryDocument;
  expect(doc.resources.length).toBeGreaterThan(0);
  for (const entry of doc.resources) {
    const answer = await request.get(entry.url);
    expect(answer.status(), entry.url).toBe(entry.free ? 200 : 402);
    if (entry.free) continue;
    const required = decodePaymentRequiredHeader(answer.headers()["payment-required"]!);
    expect(required.resource.url).toBe(entry.url);
    expect(required.accepts[0]).toMatchObject({
      amount: entry.price.amount,
      asset: entry.asset,
      network: entry.network,
      payTo: entry.payTo,
    });
    expect(required.extensions?.bazaar).toBeDefined();
  }
  expect((await request.get("/.well-known/x402.json")).status()).toBe(200);
});

test("search engines get a favicon, a sitemap, robots.txt, and paywall markup that never carries the locked body", async ({
  request,
}) => {
  const documents: [path: string, type: RegExp][] = [
    ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/icon.svg", /^image\/svg\+xml/],
    ["/apple-icon.png", /^image\/png/],
    ["/sitemap.xml", /^application\/xml/],
    ["/robots.txt", /^text\/plain/],
  ];
  for (const [path, type] of documents) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(type);
  }
  const sitemap = await (await request.get("/sitemap.xml")).text();
  expect(sitemap).toContain(`/articles/${priced.slug}</loc>`);
  expect(sitemap).not.toMatch(/\/(studio|api|library)\b/);
  expect(await (await request.get("/robots.txt")).text()).toMatch(/Disallow: \/studio/);

  // The server's HTML, as a crawler gets it whatever it calls itself.
  for (const userAgent of ["Googlebot/2.1 (+http://www.google.com/bot.html)", "Mozilla/5.0"]) {
    const html = await (
      await request.get(`/articles/${priced.slug}`, { headers: { "user-agent": userAgent } })
    ).text();
    const ld = /<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(html);
    expect(ld, userAgent).not.toBeNull();
    expect(JSON.parse(ld![1]!)).toMatchObject({
      "@type": "NewsArticle",
      headline: priced.title,
      isAccessibleForFree: false,
      hasPart: { isAccessibleForFree: false, cssSelector: ".kiosk-paywall" },
    });
    expect(html).toMatch(/<link rel="canonical" href="http:\/\/[^"]+\/articles\//);
    expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico/);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).not.toContain(priced.secretSentence);
  }

  // The share card: a PNG drawn per article, named by Open Graph and Twitter.
  const html = await (await request.get(`/articles/${priced.slug}`)).text();
  const ogImage = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
  expect(ogImage).toContain(`/articles/${priced.slug}/opengraph-image`);
  expect(html).toMatch(/<meta name="twitter:image" content="[^"]+\/twitter-image/);
  const card = await request.get(ogImage!.replaceAll("&amp;", "&"));
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("image/png");
});

test("agents read /llms.txt and /llms-full.txt: every item with its price, the free text, never a priced body", async ({
  request,
}) => {
  const llms = await request.get("/llms.txt");
  expect(llms.status()).toBe(200);
  expect(llms.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  const text = await llms.text();
  expect(text).toContain("/.well-known/x402)");
  for (const article of seedArticles) expect(text).toContain(`/api/articles/${article.slug})`);
  const full = await (await request.get("/llms-full.txt")).text();
  expect(full).toContain(free.secretSentence);
  for (const article of seedPricedArticles) {
    expect(text).not.toContain(article.secretSentence);
    expect(full).not.toContain(article.secretSentence);
  }
});

test("agents find /openapi.json: OpenAPI 3.1 with x-payment-info on each priced operation", async ({
  request,
}) => {
  const openapi = await request.get("/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(openapi.headers()["content-type"]).toBe("application/json");
  const doc = (await openapi.json()) as {
    openapi: string;
    paths: Record<string, { get: Record<string, unknown> }>;
  };
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths[`/api/articles/${priced.slug}`]?.get["x-payment-info"]).toMatchObject({
    price: { mode: "fixed", currency: "USD" },
  });
});

test("the home page's For agents section, one click from the header, has a request to copy that runs", async ({
  page,
  request,
}) => {
  await page.goto(`/articles/${free.slug}`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "For agents" }).click();
  await expect(page).toHaveURL(/\/#agents$/);
  const section = page.getByTestId("for-agents");
  await expect(section).toBeVisible();
  for (const path of ["/.well-known/x402", "/openapi.json", "/llms.txt"])
    await expect(section.locator(`a[href="${path}"]`)).toBeVisible();
  const origin = new URL(page.url()).origin;
  await expect(page.getByTestId("agents-example")).toContainText(`curl ${origin}/.well-known/x402`);
  // The example runs as shown: the discovery document it fetches answers.
  expect((await request.get(`${origin}/.well-known/x402`)).status()).toBe(200);
});
