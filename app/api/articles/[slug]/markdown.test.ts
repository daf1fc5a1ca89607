// Articles as Markdown (`Accept: text/markdown`) through the real article route handler (anvil,
// PGlite, the in-process facilitator): the free article's text; a priced one's 402 with the same
// PAYMENT-REQUIRED as the JSON form and only the teaser in its body; paid once with the official
// client (one debit, one payment row), then opened by its receipt with no debit.
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedFreeArticles, seedPricedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { officialClient } from "@/lib/payments/official-client";
import {
  callArticle,
  devnetChainConfig,
  devnetReader,
  ORIGIN,
  paymentRowCount,
  usdcBalanceOf,
} from "../../testing";

let site: RouteTestSite;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-article-markdown-");
});
afterAll(() => site?.stop());

const MARKDOWN = { accept: "text/markdown" };
const free = seedFreeArticles[0]!;
const priced = seedPricedArticles[0]!;

const balanceOf = (address: `0x${string}`) => usdcBalanceOf(site.chain, address);

it("answers the free article as Markdown, and says the answer depends on Accept", async () => {
  const r = await callArticle(free.slug, MARKDOWN);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  expect(r.headers.get("vary")?.toLowerCase()).toContain("accept");
  const text = await r.text();
  expect(text.startsWith(`# ${free.title}\n`)).toBe(true);
  expect(text).toContain(free.secretSentence);
  // The JSON form is still the default, and varies too.
  const json = await callArticle(free.slug);
  expect(json.headers.get("content-type")).toBe("application/json");
  expect(json.headers.get("vary")?.toLowerCase()).toContain("accept");
});

it("402s a priced article with the JSON route's payment requirements and only the teaser in the body", async () => {
  const md = await callArticle(priced.slug, MARKDOWN);
  expect(md.status).toBe(402);
  expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  const text = await md.text();
  expect(text).toContain(priced.teaser.trim());
  expect(text).not.toContain(priced.secretSentence);
  expect(text).toContain(`${ORIGIN}/api/articles/${priced.slug}`);

  const json = await callArticle(priced.slug);
  expect(json.status).toBe(402);
  const fromMarkdown = decodePaymentRequiredHeader(md.headers.get("payment-required")!);
  const fromJson = decodePaymentRequiredHeader(json.headers.get("payment-required")!);
  expect(fromMarkdown.accepts).toEqual(fromJson.accepts);
  expect(fromMarkdown.resource).toEqual(fromJson.resource);
  expect(fromMarkdown.accepts[0]!.amount).toBe(priced.priceAtomic.toString());
});

it("pays once for the Markdown form (one debit, one payment row); the receipt then opens it with no debit", async () => {
  const account = devnetReader(site.chain);
  const key = `article:${priced.slug}`;
  const before = await balanceOf(account.address);
  const paidFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      callArticle(
        priced.slug,
        new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
      )) as typeof fetch,
    officialClient(account, devnetChainConfig(site.chain)),
  );
  const paid = await paidFetch(`${ORIGIN}/api/articles/${priced.slug}`, { headers: MARKDOWN });
  expect(paid.status).toBe(200);
  expect(paid.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  expect(paid.headers.get("x-kiosk-access")).toBe("paid");
  expect(await paid.text()).toContain(priced.secretSentence);
  const afterPurchase = await balanceOf(account.address);
  expect(before - afterPurchase).toBe(priced.priceAtomic);
  expect(await paymentRowCount(account.address, key)).toBe(1);
  const token = paid.headers.get("kiosk-receipt")!;
  expect(token).toBeTruthy();

  for (const headers of [
    { ...MARKDOWN, authorization: `Bearer ${token}` },
    { ...MARKDOWN, cookie: `kiosk_receipt=${token}` },
  ]) {
    const again = await callArticle(priced.slug, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-kiosk-access")).toBe("receipt");
    expect(await again.text()).toContain(priced.secretSentence);
  }
  // The same receipt opens the JSON form: one purchase, whichever form was bought.
  const json = await callArticle(priced.slug, { authorization: `Bearer ${token}` });
  expect((await json.json()).article.body).toContain(priced.secretSentence);
  expect(await balanceOf(account.address)).toBe(afterPurchase);
  expect(await paymentRowCount(account.address, key)).toBe(1);
});
