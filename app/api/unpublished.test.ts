// Unpublishing takes an item off the shelf, not out of the hands of those who paid for it: a
// receipt still opens the article (API and page) and the dataset; without one it is a 404 as
// for something that never existed, and the listings no longer show it. Wired from env like the
// server: a devnet file in a temp folder, PGlite there, a real anvil, the in-process facilitator.
import { eq } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogChanged } from "@/lib/content/catalog-cache";
import { seedArticles, seedDataEndpoints } from "@/lib/db/seed-content";
import { getDb } from "@/lib/db";
import { articles, dataEndpoints } from "@/lib/db/schema";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { GET as listArticles } from "./articles/route";
import { GET as listData } from "./data/route";
import { buy as buyWith, callArticle, callData, ORIGIN } from "./testing";

// The page reads the request through next/headers; outside Next there is no request, so this
// unit test hands the page the headers a reader's browser would send.
const pageRequest = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => pageRequest.headers }));

const article = seedArticles.find((a) => a.slug === "clocks-that-disagree")!; // forever
const dataset = seedDataEndpoints.find((d) => d.path === "weather/harbor-tides.csv")!; // a day

let site: RouteTestSite;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-unpublished-");
});
afterAll(() => site?.stop());

const buy = (call: (headers?: HeadersInit) => Promise<Response>, url: string) =>
  buyWith(site.chain, call, url);

async function renderPage(slug: string, headers: HeadersInit = {}): Promise<string | "not-found"> {
  pageRequest.headers = new Headers(headers);
  const { default: ArticlePage } = await import("../articles/[slug]/page");
  try {
    return renderToStaticMarkup(await ArticlePage({ params: Promise.resolve({ slug }) }));
  } catch (error) {
    if (String((error as { digest?: unknown }).digest).includes("404")) return "not-found";
    throw error;
  }
}

describe("an unpublished article", () => {
  it("still opens for the reader who paid (API and page); 404 for everyone else; gone from the listing", async () => {
    const receipt = await buy((h) => callArticle(article.slug, h), `${ORIGIN}/api/articles/${article.slug}`);
    const db = await getDb();
    await db.update(articles).set({ published: false }).where(eq(articles.slug, article.slug));
    catalogChanged(db); // as the studio does after its writes

    const withReceipt = await callArticle(article.slug, { authorization: `Bearer ${receipt}` });
    expect(withReceipt.status).toBe(200);
    expect(withReceipt.headers.get("x-kiosk-access")).toBe("receipt");
    expect((await withReceipt.json()).article.body).toContain(article.secretSentence);
    const withCookie = await callArticle(article.slug, { cookie: `kiosk_receipt=${receipt}` });
    expect(withCookie.status).toBe(200);

    const stranger = await callArticle(article.slug);
    expect(stranger.status).toBe(404);
    expect(await stranger.text()).not.toContain(article.secretSentence);
    // A receipt for another article opens nothing here.
    const other = seedArticles.find((a) => a.slug === "the-long-wait-for-402")!;
    const otherReceipt = await buy((h) => callArticle(other.slug, h), `${ORIGIN}/api/articles/${other.slug}`);
    expect((await callArticle(article.slug, { authorization: `Bearer ${otherReceipt}` })).status).toBe(404);

    const page = await renderPage(article.slug, { cookie: `kiosk_receipt=${receipt}` });
    expect(page).toContain(article.secretSentence);
    expect(await renderPage(article.slug)).toBe("not-found");
    expect(await renderPage(article.slug, { cookie: `kiosk_receipt=${otherReceipt}` })).toBe("not-found");

    const listed = await (await listArticles(new Request(`${ORIGIN}/api/articles`))).text();
    expect(listed).not.toContain(article.slug);
    expect(listed).toContain(other.slug);
  });

  it("that is free is a 404 for everyone once unpublished", async () => {
    const free = seedArticles.find((a) => a.priceAtomic === 0n)!;
    expect((await callArticle(free.slug)).status).toBe(200);
    const db = await getDb();
    await db.update(articles).set({ published: false }).where(eq(articles.slug, free.slug));
    catalogChanged(db); // as the studio does after its writes
    expect((await callArticle(free.slug)).status).toBe(404);
    expect(await renderPage(free.slug)).toBe("not-found");
    await db.update(articles).set({ published: true }).where(eq(articles.slug, free.slug));
    catalogChanged(db); // as the studio does after its writes
  });
});

describe("an unpublished data endpoint", () => {
  it("still answers the reader who paid for its window; 404 without a receipt; gone from the listing", async () => {
    const receipt = await buy((h) => callData(dataset.path, h), `${ORIGIN}/api/data/${dataset.path}`);
    const db = await getDb();
    await db.update(dataEndpoints).set({ published: false }).where(eq(dataEndpoints.path, dataset.path));
    catalogChanged(db); // as the studio does after its writes

    const withReceipt = await callData(dataset.path, { authorization: `Bearer ${receipt}` });
    expect(withReceipt.status).toBe(200);
    expect(withReceipt.headers.get("x-kiosk-access")).toBe("receipt");
    expect(await withReceipt.text()).toBe(dataset.content);
    expect((await callData(dataset.path)).status).toBe(404);
    const listed = await (await listData(new Request(`${ORIGIN}/api/data`))).text();
    expect(listed).not.toContain(dataset.path);
  });
});
