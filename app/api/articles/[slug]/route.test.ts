// The article route handler itself, wired from env like the server: a devnet file in a temp
// folder, PGlite there, a real anvil, the in-process facilitator; paid with the official client.
import { wrapFetchWithPayment } from "@x402/fetch";
import { afterAll, beforeAll, expect, it } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { seedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import type { TestDevnet } from "@/lib/devnet/testing";
import { officialClient } from "@/lib/payments/official-client";
import { devnetChainConfig } from "../../testing";
import { GET } from "./route";

let chain: TestDevnet;

let site: RouteTestSite;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-article-route-");
  chain = site.chain;
});
afterAll(() => site?.stop());

const call = (slug: string, init?: RequestInit) =>
  GET(new Request(`http://127.0.0.1:3000/api/articles/${slug}`, init), { params: Promise.resolve({ slug }) });

it("answers 404 for unknown and malformed slugs, 200 with the body for the free article", async () => {
  expect((await call("no-such-article")).status).toBe(404);
  expect((await call("..%2Fetc")).status).toBe(404);
  const free = seedArticles.find((a) => a.priceAtomic === 0n)!;
  const r = await call(free.slug);
  expect(r.status).toBe(200);
  expect((await r.json()).article.body).toContain(free.secretSentence);
});

it("402s a priced article, then delivers it to the official client and honours the receipt", async () => {
  const article = seedArticles.find((a) => a.slug === "the-long-wait-for-402")!;
  const unpaid = await call(article.slug);
  expect(unpaid.status).toBe(402);
  expect(await unpaid.text()).not.toContain(article.secretSentence);

  const reader = privateKeyToAccount(
    chain.devnet.accounts.find((a) => a.role === "reader")!.privateKey as `0x${string}`,
  );
  const chainConfig = devnetChainConfig(chain);
  const paidFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      call(article.slug, {
        headers: init?.headers ?? (input instanceof Request ? input.headers : undefined),
      })) as typeof fetch,
    officialClient(reader, chainConfig),
  );
  const paid = await paidFetch(`http://127.0.0.1:3000/api/articles/${article.slug}`);
  expect(paid.status).toBe(200);
  expect((await paid.json()).article.body).toContain(article.secretSentence);
  const again = await call(article.slug, {
    headers: { authorization: `Bearer ${paid.headers.get("kiosk-receipt")}` },
  });
  expect(again.status).toBe(200);
  expect(again.headers.get("x-kiosk-access")).toBe("receipt");
});
