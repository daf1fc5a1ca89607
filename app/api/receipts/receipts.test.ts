// Signed receipts end to end through the real route handlers (anvil, PGlite, the in-process
// facilitator, the official client): a purchase names its receipt's URL; only the purchaser's own
// receipt token downloads it, by transaction or from the article page; the file verifies against
// /.well-known/jwks.json with the README's command and names the purchase exactly.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { wrapFetchWithPayment } from "@x402/fetch";
import { afterAll, beforeAll, expect, it } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { GET as jwksGET } from "@/app/.well-known/jwks.json/route";
import { GET as articleGET } from "@/app/api/articles/[slug]/route";
import { GET as pageReceiptGET } from "@/app/articles/[slug]/receipt/route";
import { seedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { officialClient } from "@/lib/payments/official-client";
import { verifyReceiptFile, type SignedReceiptFile } from "@/lib/receipts/signed-receipt";
import { GET as receiptGET } from "./[tx]/route";

let site: RouteTestSite;
const dir = mkdtempSync(path.join(tmpdir(), "kiosk-receipt-files-"));
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-receipts-route-");
});
afterAll(async () => {
  await site?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ORIGIN = "http://127.0.0.1:3000";
const article = seedArticles.find((a) => a.priceAtomic > 0n && a.slug !== "the-long-wait-for-402")!;

const callArticle = (init?: RequestInit) =>
  articleGET(new Request(`${ORIGIN}/api/articles/${article.slug}`, init), {
    params: Promise.resolve({ slug: article.slug }),
  });
const callReceipt = (tx: string, init?: RequestInit) =>
  receiptGET(new Request(`${ORIGIN}/api/receipts/${tx}`, init), { params: Promise.resolve({ tx }) });
const callPageReceipt = (slug: string, init?: RequestInit) =>
  pageReceiptGET(new Request(`${ORIGIN}/articles/${slug}/receipt`, init), {
    params: Promise.resolve({ slug }),
  });

/** Buys the article with the official client as reader `n`; its receipt token and the headers. */
async function buy(n: number) {
  const devnet = site.chain.devnet;
  const reader = privateKeyToAccount(
    devnet.accounts.filter((a) => a.role === "reader")[n]!.privateKey as `0x${string}`,
  );
  const chain = {
    caip2: "eip155:31337" as const,
    chainId: 31337,
    v1Name: null,
    usdc: devnet.usdc as `0x${string}`,
    usdcName: "USD Coin",
    usdcVersion: "2",
  };
  const paidFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      callArticle({
        headers: init?.headers ?? (input instanceof Request ? input.headers : undefined),
      })) as typeof fetch,
    officialClient(reader, chain),
  );
  const paid = await paidFetch(`${ORIGIN}/api/articles/${article.slug}`);
  expect(paid.status).toBe(200);
  const settle = JSON.parse(Buffer.from(paid.headers.get("payment-response")!, "base64").toString());
  return {
    payer: reader.address.toLowerCase(),
    token: paid.headers.get("kiosk-receipt")!,
    url: paid.headers.get("kiosk-receipt-url")!,
    tx: settle.transaction as string,
  };
}

it("hands the purchaser a signed receipt that verifies offline, and nobody else", async () => {
  const mine = await buy(0);
  const theirs = await buy(1);
  expect(mine.url).toBe(`/api/receipts/${mine.tx}`);

  // No token: 401 before anything is looked up. Someone else's receipt for the same article: 403.
  const anonymous = await callReceipt(mine.tx);
  expect(anonymous.status).toBe(401);
  expect((await anonymous.json()).error.code).toBe("not_signed_in");
  const stranger = await callReceipt(mine.tx, { headers: { authorization: `Bearer ${theirs.token}` } });
  expect(stranger.status).toBe(403);
  expect(await stranger.text()).not.toContain(mine.payer);
  const forged = await callReceipt(mine.tx, { headers: { authorization: `Bearer ${mine.token}x` } });
  expect(forged.status).toBe(403);
  const unknown = await callReceipt("0x" + "7".repeat(64), {
    headers: { authorization: `Bearer ${mine.token}` },
  });
  expect(unknown.status).toBe(404);

  const res = await callReceipt(mine.tx, { headers: { authorization: `Bearer ${mine.token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="kiosk-receipt-0x/);
  const file = (await res.json()) as SignedReceiptFile;
  expect(file.receipt).toMatchObject({
    site: ORIGIN,
    resource: {
      key: `article:${article.slug}`,
      url: `${ORIGIN}/api/articles/${article.slug}`,
      title: article.title,
    },
    price: { amount: article.priceAtomic.toString(), asset: site.chain.devnet.usdc.toLowerCase() },
    payer: mine.payer,
    payTo: site.chain.devnet.accounts.find((a) => a.role === "publisher")!.address.toLowerCase(),
    network: "eip155:31337",
    transaction: mine.tx,
    method: "authorization",
  });
  expect(file.receipt.access.until === null).toBe(article.accessWindowSeconds === null);

  const jwksRes = await jwksGET(new Request(`${ORIGIN}/.well-known/jwks.json`));
  expect(jwksRes.headers.get("access-control-allow-origin")).toBe("*");
  const jwks = await jwksRes.json();
  expect(JSON.stringify(jwks)).not.toContain('"d"');
  expect(await verifyReceiptFile(file, jwks)).toMatchObject({ kind: "valid" });

  // The README's command on the downloaded file and the published key set.
  writeFileSync(path.join(dir, "receipt.json"), JSON.stringify(file));
  writeFileSync(path.join(dir, "jwks.json"), JSON.stringify(jwks));
  const { stdout } = await promisify(execFile)(
    "npm",
    ["run", "verify-receipt", "--", path.join(dir, "receipt.json"), path.join(dir, "jwks.json")],
    { cwd: path.resolve(__dirname, "../../..") },
  );
  expect(stdout).toContain(`valid (key ${jwks.keys[0].kid})`);
});

it("serves the article page's download from the page's receipt cookie", async () => {
  const mine = await buy(2);
  const cookie = { headers: { cookie: `kiosk_receipt=${mine.token}` } };
  const res = await callPageReceipt(article.slug, cookie);
  expect(res.status).toBe(200);
  const file = (await res.json()) as SignedReceiptFile;
  expect(file.receipt).toMatchObject({ payer: mine.payer, transaction: mine.tx });

  expect((await callPageReceipt(article.slug)).status).toBe(401);
  // A receipt for one article opens no other article's download.
  const other = seedArticles.find((a) => a.priceAtomic > 0n && a.slug !== article.slug)!;
  expect((await callPageReceipt(other.slug, cookie)).status).toBe(403);
  expect((await callPageReceipt("..%2Fetc", cookie)).status).toBe(404);
});
