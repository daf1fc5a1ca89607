// Every request a reader or an agent makes without paying is lean: once the catalogue is warm, a
// 402 (article or dataset), a free read, a receipt read (cookie or Bearer), the article page, its
// share card and the catalogue documents (discovery, sitemap, llms.txt, llms-full.txt,
// openapi.json) send no database statement and no chain call. Wired from env like the server,
// through the real route handlers: a devnet file in a temp folder, PGlite there, a real anvil
// behind a counting RPC proxy, the in-process facilitator. Statements are counted on getDb()'s
// own connection.
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DiscoveryDocument } from "@/lib/content/discovery";
import { seedDataEndpoints, seedFreeArticles, seedPricedArticles } from "@/lib/db/seed-content";
import { getDb, statementsSent } from "@/lib/db";
import { publishers } from "@/lib/db/schema";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { startRpcProxy, type RpcProxy } from "@/lib/devnet/rpc-proxy";
import { flushFunnel } from "@/lib/payments/funnel";
import { paidContext, sweepNow } from "@/lib/payments/server";
import { articleCreateSchema, createArticle, updateArticle } from "@/lib/studio/articles";
import { GET as wellKnown } from "../.well-known/x402/route";
import { GET as wellKnownJson } from "../.well-known/x402.json/route";
import { GET as llmsFull } from "../llms-full.txt/route";
import { GET as llms } from "../llms.txt/route";
import { GET as openapi } from "../openapi.json/route";
import sitemap from "../sitemap";
import { shareCardImage } from "../articles/[slug]/share-card";
import { buy, callArticle, callData, ORIGIN } from "./testing";

const pageRequest = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => pageRequest.headers }));

let site: RouteTestSite;
let rpc: RpcProxy;
const paid = seedPricedArticles[0]!;
const free = seedFreeArticles[0]!;
const dataset = seedDataEndpoints.find((d) => d.priceAtomic > 0n)!;

beforeAll(async () => {
  process.env.TRUSTED_PROXY_HOPS = "1"; // read once, with the rest of the env
  site = await startRouteTestSite("kiosk-steady-", {
    rpcUrl: async (url) => (rpc = await startRpcProxy(url)).url,
  });
});
afterAll(async () => {
  delete process.env.TRUSTED_PROXY_HOPS;
  await rpc?.close();
  await site?.stop();
});

async function discovery(name = "x402"): Promise<DiscoveryDocument> {
  const res = await (name === "x402" ? wellKnown : wellKnownJson)(
    new Request(`${ORIGIN}/.well-known/${name}`),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as DiscoveryDocument;
}

async function documentText(route: (req: Request) => Promise<Response>, path: string): Promise<string> {
  const res = await route(new Request(`${ORIGIN}${path}`));
  expect(res.status).toBe(200);
  return res.text();
}

async function renderPage(slug: string, headers: HeadersInit = {}): Promise<string> {
  pageRequest.headers = new Headers(headers);
  const { default: ArticlePage } = await import("../articles/[slug]/page");
  return renderToStaticMarkup(await ArticlePage({ params: Promise.resolve({ slug }) }));
}

it("a 402, a free read, a receipt read and the article page cost no database statement and no chain call once warm", async () => {
  const receipt = await buy(
    site.chain,
    (h) => callArticle(paid.slug, h),
    `${ORIGIN}/api/articles/${paid.slug}`,
  );
  // Warm: each item read once, the first request's sweep done, the funnel's counts written.
  expect((await callArticle(paid.slug)).status).toBe(402);
  expect((await callData(dataset.path)).status).toBe(402);
  expect((await callArticle(free.slug)).status).toBe(200);
  await discovery();
  await sitemap();
  await documentText(llms, "/llms.txt");
  await documentText(llmsFull, "/llms-full.txt");
  await documentText(openapi, "/openapi.json");
  await renderPage(paid.slug);
  // A receipt read once, so this instance has read its list of refunded purchases.
  expect((await callArticle(paid.slug, { cookie: `kiosk_receipt=${receipt}` })).status).toBe(200);
  await sweepNow();
  await flushFunnel();

  const statements = statementsSent();
  rpc.reset();
  for (let i = 0; i < 10; i++) {
    expect((await callArticle(paid.slug)).status).toBe(402);
    expect((await callData(dataset.path)).status).toBe(402);
    const freeRead = await callArticle(free.slug);
    expect(freeRead.headers.get("x-kiosk-access")).toBe("free");
    const byCookie = await callArticle(paid.slug, { cookie: `kiosk_receipt=${receipt}` });
    expect(byCookie.headers.get("x-kiosk-access")).toBe("receipt");
    const byBearer = await callArticle(paid.slug, { authorization: `Bearer ${receipt}` });
    expect((await byBearer.json()).article.body).toContain(paid.secretSentence);
    expect((await discovery()).resources.length).toBeGreaterThan(0);
    expect((await discovery("x402.json")).resources.length).toBeGreaterThan(0);
    expect((await sitemap()).some((p) => p.url.endsWith(`/articles/${paid.slug}`))).toBe(true);
    expect(await documentText(llms, "/llms.txt")).toContain(paid.title);
    expect(await documentText(llmsFull, "/llms-full.txt")).toContain(free.secretSentence);
    expect(JSON.parse(await documentText(openapi, "/openapi.json")).openapi).toBe("3.1.0");
  }
  // The share card (drawn once here: rendering it is the slow part, not the catalogue read).
  const card = await shareCardImage({ params: Promise.resolve({ slug: paid.slug }) });
  expect(card.headers.get("content-type")).toBe("image/png");
  expect(await renderPage(paid.slug, { cookie: `kiosk_receipt=${receipt}` })).toContain(paid.secretSentence);
  expect(await renderPage(paid.slug)).not.toContain(paid.secretSentence);
  expect(await renderPage(free.slug)).toContain(free.title);

  expect(statementsSent() - statements).toBe(0);
  expect(rpc.calls).toEqual([]);
});

it("the discovery document is served from the cached catalogue, and a publish in the studio shows there at once", async () => {
  const db = await getDb();
  const slug = `steady-new-${Date.now()}`;
  const url = `${ORIGIN}/api/articles/${slug}`;
  const before = await discovery();
  expect(before.resources.map((r) => r.url)).not.toContain(url);
  const statements = statementsSent();
  expect(await discovery("x402.json")).toEqual(before);
  expect(statementsSent() - statements).toBe(0);

  const [publisher] = await db.select().from(publishers).limit(1);
  const input = articleCreateSchema.parse({
    title: "Published just now",
    slug,
    body: "A teaser.\n\nAnd the part for paying readers.",
    price: "0.07",
    accessWindow: "7d",
  });
  const created = await createArticle(db, publisher!, input);
  if (created.kind !== "ok") throw new Error(JSON.stringify(created));
  expect((await discovery()).resources.map((r) => r.url)).not.toContain(url); // a draft is not listed
  expect((await updateArticle(db, publisher!, created.value.id, { published: true })).kind).toBe("ok");
  const listed = (await discovery()).resources.find((r) => r.url === url);
  expect(listed).toMatchObject({ title: "Published just now", free: false, price: { amount: "70000" } });
  // Warm again: no statement per request.
  const again = statementsSent();
  await discovery();
  await discovery("x402.json");
  expect(statementsSent() - again).toBe(0);
});

it("paid routes share one context built once per process; only the origin comes from the request", async () => {
  const one = await paidContext(new Request("http://127.0.0.1:3000/api/articles/x"));
  const two = await paidContext(new Request("http://localhost:3999/api/data/y"));
  expect(two.db).toBe(one.db);
  expect(two.facilitator).toBe(one.facilitator);
  expect(two.chainClient).toBe(one.chainClient);
  expect(two.secrets).toBe(one.secrets);
  expect([one.origin, two.origin]).toEqual(["http://127.0.0.1:3000", "http://localhost:3999"]);
  // The proxies in front of the site count for the paid routes' per-IP limits too.
  expect(one.trustedProxyHops).toBe(1);
});
