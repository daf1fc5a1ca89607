// The HTTP face of payments against the real production server (next start, proxy.ts, PGlite,
// anvil): what an agent or a curl user sees. Pays from reader #8 so browser specs on other
// workers never race its balance.
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { expect, test } from "@playwright/test";
import { privateKeyToAccount } from "viem/accounts";
import { seedArticles } from "../lib/db/seed-content";
import { officialClient } from "../lib/payments/official-client";
import { pickAccount, readE2eDevnet, usdcBalance } from "./fixtures/devnet";
import { E2E_BASE_URL } from "./fixtures/stack";

const ARTICLE = "what-a-penny-costs-to-move";
const secretOf = (slug: string) => seedArticles.find((a) => a.slug === slug)!.secretSentence;

test.describe.configure({ mode: "serial" });

function payer() {
  const devnet = readE2eDevnet();
  const account = privateKeyToAccount(
    pickAccount(devnet, { role: "reader", index: 8 }).privateKey as `0x${string}`,
  );
  const chain = {
    caip2: `eip155:${devnet.chainId}` as const,
    chainId: devnet.chainId,
    v1Name: null,
    usdc: devnet.usdc as `0x${string}`,
    usdcName: "USD Coin",
    usdcVersion: "2",
  };
  return { devnet, account, paidFetch: wrapFetchWithPayment(fetch, officialClient(account, chain)) };
}

let receipt = "";

test("unpaid: 402 with a PAYMENT-REQUIRED header the official decoder reads", async () => {
  const r = await fetch(`${E2E_BASE_URL}/api/articles/${ARTICLE}`);
  expect(r.status).toBe(402);
  const required = decodePaymentRequiredHeader(r.headers.get("payment-required")!);
  expect(required.accepts[0]).toMatchObject({ scheme: "exact", amount: "100000" });
  const body = await r.json();
  // The transfer link quotes the price plus 1–999 atomic units (a signed quote naming this offer).
  expect(body.paymentUri).toMatch(
    /^ethereum:0x[0-9a-fA-F]{40}@31337\/transfer\?address=0x[0-9a-fA-F]{40}&uint256=100\d{3}$/,
  );
  expect(body.paymentUri).toContain(`uint256=${body.transferQuote.amount}`);
  expect(JSON.stringify(body)).not.toContain(secretOf(ARTICLE));
});

test("the official client pays; the receipt re-reads by cookie and Bearer; nowhere else", async () => {
  const { devnet, account, paidFetch } = payer();
  const before = await usdcBalance(devnet, account.address);
  const r = await paidFetch(`${E2E_BASE_URL}/api/articles/${ARTICLE}`);
  expect(r.status).toBe(200);
  expect((await r.json()).article.body).toContain(secretOf(ARTICLE));
  const settle = decodePaymentResponseHeader(r.headers.get("payment-response")!);
  expect(settle.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  expect(await usdcBalance(devnet, account.address)).toBe(before - 100_000n);
  receipt = r.headers.get("kiosk-receipt")!;

  const ways: Record<string, string>[] = [
    { cookie: `kiosk_receipt=${receipt}` },
    { authorization: `Bearer ${receipt}` },
  ];
  for (const headers of ways) {
    const again = await fetch(`${E2E_BASE_URL}/api/articles/${ARTICLE}`, { headers });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-kiosk-access")).toBe("receipt");
  }
  const page = await fetch(`${E2E_BASE_URL}/articles/${ARTICLE}`, {
    headers: { cookie: `kiosk_receipt=${receipt}` },
  });
  expect(await page.text()).toContain(secretOf(ARTICLE));
  const other = await fetch(`${E2E_BASE_URL}/api/articles/the-long-wait-for-402`, {
    headers: { cookie: `kiosk_receipt=${receipt}` },
  });
  expect(other.status).toBe(402);
  const data = await fetch(`${E2E_BASE_URL}/api/data/weather/harbor-tides.csv`, {
    headers: { authorization: `Bearer ${receipt}` },
  });
  expect(data.status).toBe(402);
  expect(await usdcBalance(devnet, account.address)).toBe(before - 100_000n);
});

test("client-sent internal headers never open anything (CVE-2025-29927 style)", async () => {
  const slug = "plumbing-of-a-digital-dollar";
  const attempts: Record<string, string>[] = [
    { "x-kiosk-receipt": receipt },
    { "x-kiosk-receipt": "anything" },
    { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    {
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
      "x-kiosk-receipt": receipt,
    },
  ];
  for (const headers of attempts) {
    const api = await fetch(`${E2E_BASE_URL}/api/articles/${slug}`, { headers });
    expect(api.status).toBe(402);
    const page = await fetch(`${E2E_BASE_URL}/articles/${slug}`, { headers });
    expect(await page.text()).not.toContain(secretOf(slug));
  }
});

test("locked pages never carry the body: HTML, RSC payload, JSON", async () => {
  for (const article of seedArticles.filter((a) => a.priceAtomic > 0n && a.slug !== ARTICLE)) {
    const html = await (await fetch(`${E2E_BASE_URL}/articles/${article.slug}`)).text();
    expect(html).toContain(article.teaser.slice(0, 40));
    expect(html).not.toContain(article.secretSentence);
    const rsc = await (
      await fetch(`${E2E_BASE_URL}/articles/${article.slug}`, { headers: { rsc: "1" } })
    ).text();
    expect(rsc).not.toContain(article.secretSentence);
    const api = await (await fetch(`${E2E_BASE_URL}/api/articles/${article.slug}`)).text();
    expect(api).not.toContain(article.secretSentence);
  }
});

test("malformed payment headers get 400 with a code, never a 5xx", async () => {
  for (const value of [
    "%%%",
    "e30=",
    Buffer.from('{"x402Version":2}').toString("base64"),
    "A".repeat(9000),
  ]) {
    const r = await fetch(`${E2E_BASE_URL}/api/articles/${ARTICLE}`, {
      headers: { "payment-signature": value },
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe("malformed_payment");
  }
  const unknown = await fetch(`${E2E_BASE_URL}/api/articles/no-such-article`);
  expect(unknown.status).toBe(404);
});

test("Accept: text/markdown on an article page: the free text, the priced 402, paid once, then the receipt", async () => {
  const md = { accept: "text/markdown" };
  const free = seedArticles.find((a) => a.priceAtomic === 0n)!;
  const freeMd = await fetch(`${E2E_BASE_URL}/articles/${free.slug}`, { headers: md });
  expect(freeMd.status).toBe(200);
  expect(freeMd.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  expect(freeMd.headers.get("vary")?.toLowerCase()).toContain("accept");
  // proxy.ts ran on the page path before the rewrite: its security headers are on the answer.
  expect(freeMd.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(await freeMd.text()).toContain(free.secretSentence);

  // The HTML page names its Markdown and JSON forms.
  const html = await fetch(`${E2E_BASE_URL}/articles/${free.slug}`);
  expect(html.headers.get("content-type")).toContain("text/html");
  expect(html.headers.get("vary")?.toLowerCase()).toContain("accept");
  const link = html.headers.get("link") ?? "";
  expect(link).toContain(`</articles/${free.slug}>; rel="alternate"; type="text/markdown"`);
  expect(link).toContain(`</api/articles/${free.slug}>; rel="alternate"; type="application/json"`);

  // Priced: the API route's 402, with the teaser and never the body.
  const slug = "the-long-wait-for-402";
  const locked = await fetch(`${E2E_BASE_URL}/articles/${slug}`, { headers: md });
  expect(locked.status).toBe(402);
  expect(locked.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  const required = decodePaymentRequiredHeader(locked.headers.get("payment-required")!);
  expect(required.resource.url).toMatch(new RegExp(`/api/articles/${slug}$`));
  const apiRequired = decodePaymentRequiredHeader(
    (await fetch(`${E2E_BASE_URL}/api/articles/${slug}`)).headers.get("payment-required")!,
  );
  expect(required.accepts).toEqual(apiRequired.accepts);
  const text = await locked.text();
  expect(text).toContain(seedArticles.find((a) => a.slug === slug)!.teaser.slice(0, 40));
  expect(text).not.toContain(secretOf(slug));

  // Paid through the page URL: one debit, Markdown back; then the receipt (Bearer or the page
  // cookie, which proxy.ts checks) opens it again for nothing.
  const { devnet, account, paidFetch } = payer();
  const price = BigInt(required.accepts[0]!.amount);
  const before = await usdcBalance(devnet, account.address);
  const paid = await paidFetch(`${E2E_BASE_URL}/articles/${slug}`, { headers: md });
  expect(paid.status).toBe(200);
  expect(paid.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
  expect(await paid.text()).toContain(secretOf(slug));
  expect(await usdcBalance(devnet, account.address)).toBe(before - price);
  const token = paid.headers.get("kiosk-receipt")!;
  const ways: Record<string, string>[] = [
    { authorization: `Bearer ${token}` },
    { cookie: `kiosk_receipt=${token}` },
  ];
  for (const headers of ways) {
    const again = await fetch(`${E2E_BASE_URL}/articles/${slug}`, { headers: { ...md, ...headers } });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-kiosk-access")).toBe("receipt");
    expect(await again.text()).toContain(secretOf(slug));
  }
  expect(await usdcBalance(devnet, account.address)).toBe(before - price);
});
