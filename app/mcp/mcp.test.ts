// The MCP endpoint through its real route handler, driven by the MCP SDK's own Client and
// Streamable HTTP transport (its fetch handed the route), on anvil, PGlite and the in-process
// facilitator: the tools list and search the catalogue; a priced get_article answers x402's
// payment requirements; a payment in _meta["x402/payment"] (a real EIP-3009 authorization signed
// by the official client) settles once (one debit, one payment row) and returns the Markdown with
// _meta["x402/payment-response"] and a receipt; the receipt reads again with no debit, and the
// same payment sent again gets no content.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentRequired } from "@x402/core/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  callArticle,
  callData,
  devnetChainConfig,
  devnetReader,
  ORIGIN,
  paymentRowCount,
  usdcBalanceOf,
} from "@/app/api/testing";
import { seedArticles, seedDataEndpoints, seedFreeArticles, seedPricedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { officialClient } from "@/lib/payments/official-client";
import { DELETE, GET, POST } from "./route";

let site: RouteTestSite;
const clients: Client[] = [];
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-mcp-");
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await site?.stop();
});

/** The SDK's client, its HTTP requests answered by the route handlers. */
async function connect(): Promise<Client> {
  const routeFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    if (req.method === "POST") return POST(req);
    return req.method === "DELETE" ? DELETE() : GET();
  };
  const client = new Client({ name: "kiosk-test-agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), { fetch: routeFetch }));
  clients.push(client);
  return client;
}

const balanceOf = (address: `0x${string}`) => usdcBalanceOf(site.chain, address);
const texts = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const call = async (client: Client, params: Parameters<Client["callTool"]>[0]) =>
  (await client.callTool(params)) as CallToolResult;

it("lists the four tools, lists the catalogue with prices, and searches titles and teasers only", async () => {
  const client = await connect();
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(["get_article", "get_dataset", "list_articles", "search"]);

  const listed = await call(client, { name: "list_articles", arguments: {} });
  expect(listed.isError).toBeFalsy();
  const catalogue = listed.structuredContent as {
    articles: { slug: string; free: boolean; price: { amount: string } }[];
    datasets: { path: string }[];
  };
  expect(catalogue.articles.map((a) => a.slug).sort()).toEqual(seedArticles.map((a) => a.slug).sort());
  const priced = seedPricedArticles[0]!;
  expect(catalogue.articles.find((a) => a.slug === priced.slug)).toMatchObject({
    free: false,
    price: { amount: priced.priceAtomic.toString() },
  });
  expect(catalogue.datasets.map((d) => d.path).sort()).toEqual(seedDataEndpoints.map((d) => d.path).sort());
  expect(texts(listed)).not.toContain(priced.secretSentence);

  const byTitle = await call(client, { name: "search", arguments: { query: priced.title.toUpperCase() } });
  expect((byTitle.structuredContent as typeof catalogue).articles.map((a) => a.slug)).toContain(priced.slug);
  const teaserWords = priced.teaser.split(/\s+/).slice(2, 5).join(" ");
  const byTeaser = await call(client, { name: "search", arguments: { query: teaserWords } });
  expect((byTeaser.structuredContent as typeof catalogue).articles.map((a) => a.slug)).toContain(priced.slug);
  // The locked body is not searched: its secret sentence finds nothing.
  const bySecret = await call(client, { name: "search", arguments: { query: priced.secretSentence } });
  expect((bySecret.structuredContent as typeof catalogue).articles).toEqual([]);
});

it("get_article answers a free article's Markdown, and unknown articles as a tool error", async () => {
  const client = await connect();
  const free = seedFreeArticles[0]!;
  const r = await call(client, { name: "get_article", arguments: { slug: free.slug } });
  expect(r.isError).toBeFalsy();
  expect(texts(r)).toContain(`# ${free.title}`);
  expect(texts(r)).toContain(free.secretSentence);
  const missing = await call(client, { name: "get_article", arguments: { slug: "no-such-article" } });
  expect(missing.isError).toBe(true);
  expect(missing.structuredContent).toMatchObject({ error: { code: "not_found" }, status: 404 });
});

it("pays for a priced article once through _meta, reads it again by receipt, and a replayed payment gets nothing", async () => {
  const client = await connect();
  const article = seedPricedArticles[1]!;
  const key = `article:${article.slug}`;
  const account = devnetReader(site.chain, 0);

  // No payment: x402's payment requirements, the same as the HTTP route's 402, and no text.
  const unpaid = await call(client, { name: "get_article", arguments: { slug: article.slug } });
  expect(unpaid.isError).toBe(true);
  const required = unpaid.structuredContent as unknown as PaymentRequired;
  expect(required.x402Version).toBe(2);
  expect(JSON.parse(texts(unpaid).split("\n")[0]!)).toEqual(required);
  const http402 = decodePaymentRequiredHeader(
    (await callArticle(article.slug)).headers.get("payment-required")!,
  );
  expect(required.accepts).toEqual(http402.accepts);
  expect(required.resource).toEqual(http402.resource);
  expect(required.accepts[0]!.amount).toBe(article.priceAtomic.toString());
  expect(JSON.stringify(unpaid)).not.toContain(article.secretSentence);

  // Paid: a real EIP-3009 authorization from the official client, in _meta["x402/payment"].
  const payment = await officialClient(account, devnetChainConfig(site.chain)).createPaymentPayload(required);
  const before = await balanceOf(account.address);
  const paid = await call(client, {
    name: "get_article",
    arguments: { slug: article.slug },
    _meta: { "x402/payment": payment },
  });
  expect(paid.isError).toBeFalsy();
  expect(texts(paid)).toContain(article.secretSentence);
  const settlement = paid._meta?.["x402/payment-response"] as { success: boolean; transaction: string };
  expect(settlement.success).toBe(true);
  expect(settlement.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  const receipt = (paid._meta?.["kiosk/receipt"] as { token: string }).token;
  expect(receipt).toBeTruthy();
  const afterPurchase = await balanceOf(account.address);
  expect(before - afterPurchase).toBe(article.priceAtomic);
  expect(await paymentRowCount(account.address, key)).toBe(1);

  // The receipt opens it again, from a fresh connection too, and on the HTTP route: no debit.
  const again = await call(await connect(), {
    name: "get_article",
    arguments: { slug: article.slug, receipt },
  });
  expect(again.isError).toBeFalsy();
  expect(texts(again)).toContain(article.secretSentence);
  expect(again._meta?.["kiosk/access"]).toBe("receipt");
  const overHttp = await callArticle(article.slug, { authorization: `Bearer ${receipt}` });
  expect((await overHttp.json()).article.body).toContain(article.secretSentence);

  // The same payment again (anyone can rebuild it from the chain): no content, no second charge.
  const replay = await call(client, {
    name: "get_article",
    arguments: { slug: article.slug },
    _meta: { "x402/payment": payment },
  });
  expect(replay.isError).toBe(true);
  expect(replay.structuredContent).toMatchObject({ error: { code: "payment_in_use" }, status: 409 });
  expect(JSON.stringify(replay)).not.toContain(article.secretSentence);
  expect(await balanceOf(account.address)).toBe(afterPurchase);
  expect(await paymentRowCount(account.address, key)).toBe(1);

  // A receipt names one resource: it opens no other article.
  const other = await call(client, {
    name: "get_article",
    arguments: { slug: seedPricedArticles[0]!.slug, receipt },
  });
  expect(other.isError).toBe(true);
  expect((other.structuredContent as unknown as PaymentRequired).accepts).toBeDefined();
});

it("get_dataset asks for payment for a priced dataset and serves a free one as stored", async () => {
  const client = await connect();
  const priced = seedDataEndpoints.find((d) => d.priceAtomic > 0n)!;
  const r = await call(client, { name: "get_dataset", arguments: { path: priced.path } });
  expect(r.isError).toBe(true);
  const required = r.structuredContent as unknown as PaymentRequired;
  const http402 = decodePaymentRequiredHeader((await callData(priced.path)).headers.get("payment-required")!);
  expect(required.accepts).toEqual(http402.accepts);
  const free = seedDataEndpoints.find((d) => d.priceAtomic === 0n)!;
  const open = await call(client, { name: "get_dataset", arguments: { path: free.path } });
  expect(open.isError).toBeFalsy();
  expect(texts(open)).toContain(free.content.slice(0, 30));
});

it("answers GET and DELETE with 405: the endpoint keeps no sessions", async () => {
  expect((await GET()).status).toBe(405);
  expect((await DELETE()).status).toBe(405);
});
