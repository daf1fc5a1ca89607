// Refunds through the real routes: a reader buys with the official x402 client on a real anvil
// chain (PGlite behind the env-wired server), the publisher signs in to the studio and sends USDC
// back from its own wallet, and POST /api/studio/sales/:id/refund checks that transaction on chain
// before it revokes anything.
import { and, count, desc, eq } from "drizzle-orm";
import {
  createWalletClient,
  encodeDeployData,
  encodeFunctionData,
  erc20Abi,
  http,
  keccak256,
  publicActions,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUsdcArtifact } from "@/contracts/artifacts";
import { getDb, statementsSent } from "@/lib/db";
import { seedPricedArticles } from "@/lib/db/seed-content";
import { entitlements, payments, refunds } from "@/lib/db/schema";
import { ANVIL_KEYS } from "@/lib/devnet/deploy";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { purchasesOf } from "@/lib/payments/entitlements";
import { checkReceipt, createRevocationList, REVOCATIONS_REFRESH_MS } from "@/lib/payments/revocations";
import { env } from "@/lib/env";
import { loadSalesReport } from "@/lib/studio/report";
import { allSales } from "@/lib/studio/sales";
import { salesCsv } from "@/lib/studio/csv";
import * as nonceRoute from "../auth/nonce/route";
import * as verifyRoute from "../auth/verify/route";
import * as publisherRoute from "./publisher/route";
import * as refundRoute from "./sales/[id]/refund/route";
import { buy, callArticle, devnetReader, ORIGIN, usdcBalanceOf } from "../testing";

let site: RouteTestSite;
const publisherKey = ANVIL_KEYS[1]; // the seeded publisher's wallet (and payout address)
const publisher = privateKeyToAccount(publisherKey);
const stranger = privateKeyToAccount(ANVIL_KEYS[13]);
let publisherCookie: string;
let otherPublisherCookie: string;

function post(handler: (req: Request) => Promise<Response>, path: string, body: unknown, cookie?: string) {
  const headers = new Headers({ "content-type": "application/json", origin: ORIGIN });
  if (cookie) headers.set("cookie", cookie);
  return handler(new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
}

async function signIn(key: Hex): Promise<string> {
  const account = privateKeyToAccount(key);
  const nonce = (await (await post(nonceRoute.POST, "/api/auth/nonce", {})).json()) as {
    nonce: string;
    domain: string;
    uri: string;
    chainId: number;
    statement: string;
  };
  const message = createSiweMessage({
    ...nonce,
    address: account.address,
    issuedAt: new Date(),
    version: "1",
  });
  const res = await post(verifyRoute.POST, "/api/auth/verify", {
    message,
    signature: await account.signMessage({ message }),
  });
  expect(res.status).toBe(200);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

const refund = (saleId: number, body: unknown, cookie: string | null = publisherCookie) =>
  refundRoute.POST(
    new Request(`${ORIGIN}/api/studio/sales/${saleId}/refund`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: String(saleId) }) },
  );

const wallet = (key: Hex) =>
  createWalletClient({ account: privateKeyToAccount(key), transport: http(site.chain.rpcUrl) }).extend(
    publicActions,
  );

/** A USDC transfer, mined; its hash. */
async function sendUsdc(fromKey: Hex, to: `0x${string}`, value: bigint, token?: `0x${string}`): Promise<Hex> {
  const w = wallet(fromKey);
  const hash = await w.writeContract({
    address: token ?? (site.chain.devnet.usdc as `0x${string}`),
    abi: erc20Abi,
    functionName: "transfer",
    args: [to, value],
    chain: null,
  });
  expect((await w.waitForTransactionReceipt({ hash })).status).toBe("success");
  return hash;
}

const readerKey = (n: number) =>
  site.chain.devnet.accounts.filter((a) => a.role === "reader")[n]!.privateKey as Hex;

/** The reader buys the article through its route; the sale's id and the receipt it got. */
async function sell(
  n: number,
  slug: string,
): Promise<{ saleId: number; receipt: string; payer: `0x${string}` }> {
  const reader = devnetReader(site.chain, n);
  const receipt = await buy(
    site.chain,
    (h) => callArticle(slug, h),
    `${ORIGIN}/api/articles/${slug}`,
    reader,
  );
  const db = await getDb();
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.payer, reader.address.toLowerCase()),
        eq(payments.resource, `article:${slug}`),
        eq(payments.status, "settled"),
      ),
    )
    .orderBy(desc(payments.id))
    .limit(1);
  return { saleId: row!.id, receipt, payer: reader.address };
}

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const [first, second, third, fourth] = seedPricedArticles;

beforeAll(async () => {
  site = await startRouteTestSite("kiosk-refunds-");
  // The publisher refunds from its own wallet: give it money of its own beyond what it sells.
  const mint = await wallet(ANVIL_KEYS[0]).writeContract({
    address: site.chain.devnet.usdc as `0x${string}`,
    abi: testUsdcArtifact.abi,
    functionName: "mint",
    args: [publisher.address, 10_000_000n],
    chain: null,
  });
  await wallet(ANVIL_KEYS[0]).waitForTransactionReceipt({ hash: mint });
  publisherCookie = await signIn(publisherKey);
  otherPublisherCookie = await signIn(ANVIL_KEYS[12]);
  const created = await post(
    publisherRoute.POST,
    "/api/studio/publisher",
    { name: "Other Press" },
    otherPublisherCookie,
  );
  expect(created.status).toBeLessThan(300);
}, 120_000);
afterAll(async () => {
  await site?.stop();
});

describe("a publisher refunds a sale", () => {
  it("a transfer of the sale's amount back to the payer revokes the purchase: the receipt opens nothing, the money is back, the reports and the library say refunded", async () => {
    const reader = devnetReader(site.chain, 0);
    const before = await usdcBalanceOf(site.chain, reader.address);
    const { saleId, receipt } = await sell(0, first!.slug);
    expect((await callArticle(first!.slug, { cookie: `kiosk_receipt=${receipt}` })).status).toBe(200);
    expect(await usdcBalanceOf(site.chain, reader.address)).toBe(before - first!.priceAtomic);

    const tx = await sendUsdc(publisherKey, reader.address, first!.priceAtomic);
    const res = await refund(saleId, { txHash: tx, amount: first!.priceAtomic.toString() });
    expect(res.status).toBe(200);
    expect((await res.json()).refund).toMatchObject({ saleId, txHash: tx, status: "refunded" });

    expect(await usdcBalanceOf(site.chain, reader.address)).toBe(before);
    const byCookie = await callArticle(first!.slug, { cookie: `kiosk_receipt=${receipt}` });
    expect(byCookie.status).toBe(402);
    expect(JSON.stringify(await byCookie.json())).not.toContain(first!.secretSentence);
    expect((await callArticle(first!.slug, { authorization: `Bearer ${receipt}` })).status).toBe(402);

    const db = await getDb();
    const library = await purchasesOf(db, reader.address);
    expect(library.find((p) => p.id === saleId)?.refundedAt).toBeInstanceOf(Date);
    const report = await loadSalesReport(db, [`article:${first!.slug}`]);
    expect(report.summary).toMatchObject({ sales: 1, refunds: 1, refundedAtomic: first!.priceAtomic });
    expect(report.recent[0]?.refund).toMatchObject({ status: "refunded", txHash: tx });
    expect(report.days.at(-1)).toMatchObject({ refunds: 1, refundedAtomic: first!.priceAtomic });
    const csv = salesCsv(await allSales(db, [`article:${first!.slug}`]));
    expect(csv.split("\r\n")[1]).toMatch(new RegExp(`,refunded,[0-9T:.-]+Z,${tx}$`));

    // The same answer again, nothing recorded twice; another hash for the same sale is refused.
    expect((await refund(saleId, { txHash: tx })).status).toBe(200);
    const other = await sendUsdc(publisherKey, reader.address, first!.priceAtomic);
    const again = await refund(saleId, { txHash: other });
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe("already_refunded");
    const [rows] = await db.select({ n: count() }).from(refunds).where(eq(refunds.paymentId, saleId));
    expect(rows!.n).toBe(1);

    // Refunded, the reader may buy it again, and is charged for it.
    const rebought = await sell(0, first!.slug);
    expect(rebought.saleId).not.toBe(saleId);
    expect((await callArticle(first!.slug, { cookie: `kiosk_receipt=${rebought.receipt}` })).status).toBe(
      200,
    );
  });

  it("a transaction that does not refund the sale is refused with its code, and revokes nothing", async () => {
    const reader = devnetReader(site.chain, 1);
    const early = await sendUsdc(publisherKey, reader.address, second!.priceAtomic); // before the sale
    const { saleId, receipt } = await sell(1, second!.slug);
    const price = second!.priceAtomic;
    const strangerTx = await sendUsdc(readerKey(2), reader.address, price);
    const elsewhere = await sendUsdc(publisherKey, stranger.address, price);
    const less = await sendUsdc(publisherKey, reader.address, price - 1n);
    const otherToken = await deployToken(publisherKey);
    const wrongToken = await sendUsdc(publisherKey, reader.address, price, otherToken);
    const cases: [Hex, number, string][] = [
      [strangerTx, 422, "refund_wrong_sender"],
      [elsewhere, 422, "refund_wrong_recipient"],
      [less, 422, "refund_underpaid"],
      [wrongToken, 422, "refund_wrong_token"],
      [early, 422, "refund_before_sale"],
    ];
    for (const [txHash, status, code] of cases) {
      const res = await refund(saleId, { txHash });
      expect({ txHash, status: res.status, code: await codeOf(res) }).toEqual({ txHash, status, code });
    }
    const tooMuch = await refund(saleId, { txHash: elsewhere, amount: (price + 1n).toString() });
    expect([tooMuch.status, await codeOf(tooMuch)]).toEqual([422, "refund_exceeds_sale"]);

    // A transaction already counted for a refund of another sale of the same payer.
    const firstSale = await sell(1, third!.slug);
    const good = await sendUsdc(publisherKey, reader.address, third!.priceAtomic);
    expect((await refund(firstSale.saleId, { txHash: good })).status).toBe(200);
    const reused = await refund(saleId, { txHash: good });
    expect([reused.status, await codeOf(reused)]).toEqual([409, "refund_tx_used"]);
    // The sale's own payment transaction is not a refund.
    const [sale] = await (await getDb()).select().from(payments).where(eq(payments.id, saleId));
    const ownTx = await refund(saleId, { txHash: sale!.txHash });
    expect([ownTx.status, await codeOf(ownTx)]).toEqual([409, "refund_tx_used"]);

    expect((await callArticle(second!.slug, { cookie: `kiosk_receipt=${receipt}` })).status).toBe(200);
    const [left] = await (await getDb())
      .select({ n: count() })
      .from(refunds)
      .where(eq(refunds.paymentId, saleId));
    expect(left!.n).toBe(0);
  });

  it("only the publisher who owns the sale may refund it, and a bad hash is 400", async () => {
    const [sale] = await (await getDb())
      .select()
      .from(payments)
      .where(eq(payments.status, "settled"))
      .limit(1);
    const txHash = `0x${"ab".repeat(32)}`;
    expect((await refund(sale!.id, { txHash }, null)).status).toBe(401);
    const theirs = await refund(sale!.id, { txHash }, otherPublisherCookie);
    expect(theirs.status).toBe(403);
    expect((await refund(sale!.id, { txHash: "0x1234" })).status).toBe(400);
    expect((await refund(999_999, { txHash })).status).toBe(404);
  });

  it("pressing twice at once records one refund and revokes once", async () => {
    const reader = devnetReader(site.chain, 3);
    const { saleId, receipt } = await sell(3, fourth!.slug);
    const tx = await sendUsdc(publisherKey, reader.address, fourth!.priceAtomic);
    const answers = await Promise.all([refund(saleId, { txHash: tx }), refund(saleId, { txHash: tx })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const db = await getDb();
    const rows = await db.select().from(refunds).where(eq(refunds.paymentId, saleId));
    expect(rows.map((r) => r.status)).toEqual(["confirmed"]);
    const [entitlement] = await db.select().from(entitlements).where(eq(entitlements.paymentId, saleId));
    expect(entitlement!.revokedAt).toBeInstanceOf(Date);
    expect((await callArticle(fourth!.slug, { cookie: `kiosk_receipt=${receipt}` })).status).toBe(402);
  });

  it("a transaction the chain does not know yet stays pending (202), then confirms once mined", async () => {
    const reader = devnetReader(site.chain, 4);
    const { saleId } = await sell(4, first!.slug);
    const w = wallet(publisherKey);
    // Prepared and signed, but not sent yet: its hash is known, the chain has not seen it.
    const request = await w.prepareTransactionRequest({
      to: site.chain.devnet.usdc as `0x${string}`,
      data: encodeFunctionData({
        abi: erc20Abi,
        functionName: "transfer",
        args: [reader.address, first!.priceAtomic],
      }),
      chain: null,
    });
    const raw = await w.signTransaction({ ...request, chain: null } as never);
    const hash = keccak256(raw);
    const pending = await refund(saleId, { txHash: hash });
    expect(pending.status).toBe(202);
    expect((await pending.json()).refund).toMatchObject({ status: "pending", txHash: hash });
    const report = await loadSalesReport(await getDb(), [`article:${first!.slug}`]);
    expect(report.recent.find((s) => s.id === saleId)?.refund?.status).toBe("pending");
    await w.waitForTransactionReceipt({ hash: await w.sendRawTransaction({ serializedTransaction: raw }) });
    const confirmed = await refund(saleId, { txHash: hash });
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()).refund.status).toBe("refunded");
  });

  it("a transfer owed back (refund due) is refunded: the mark clears into refunded, and nothing else is revoked", async () => {
    const reader = devnetReader(site.chain, 6);
    const db = await getDb();
    // What a claim from a wallet that already held the item records: settled, no entitlement, owed back.
    const [owed] = await db
      .insert(payments)
      .values({
        method: "transfer",
        network: "eip155:31337",
        asset: site.chain.devnet.usdc.toLowerCase(),
        payer: reader.address.toLowerCase(),
        payTo: publisher.address.toLowerCase(),
        txHash: `0x${"0d".repeat(32)}`,
        amountAtomic: first!.priceAtomic,
        resource: `article:${first!.slug}`,
        status: "settled",
        refundDue: true,
        settledAt: new Date(Date.now() - 60_000),
      })
      .returning();
    const tx = await sendUsdc(publisherKey, reader.address, first!.priceAtomic);
    expect((await refund(owed!.id, { txHash: tx })).status).toBe(200);
    const [after] = await db.select().from(payments).where(eq(payments.id, owed!.id));
    expect(after!.refundDue).toBe(false);
    const report = await loadSalesReport(db, [`article:${first!.slug}`]);
    expect(report.recent.find((r) => r.id === owed!.id)).toMatchObject({
      refundDue: false,
      refund: { status: "refunded", txHash: tx },
    });
  });
});

describe("revocation on another instance", () => {
  it("a refunded receipt stops opening within the refresh window, with no statement per read in between", async () => {
    const reader = devnetReader(site.chain, 5);
    const { saleId, receipt } = await sell(5, second!.slug);
    const db = await getDb();
    let clock = Date.now();
    // Another instance's list: nothing here tells it about the refund; only its clock moves.
    const elsewhere = createRevocationList(db, { clock: () => clock });
    const secrets = env().receiptSecrets;
    const open = async () =>
      (await checkReceipt(elsewhere, receipt, `article:${second!.slug}`, secrets)).kind;
    expect(await open()).toBe("valid"); // warm: the list is read once

    const tx = await sendUsdc(publisherKey, reader.address, second!.priceAtomic);
    expect((await refund(saleId, { txHash: tx })).status).toBe(200);

    let statements = statementsSent();
    for (let i = 0; i < 20; i++) expect(await open()).toBe("valid"); // still inside its window
    expect(statementsSent() - statements).toBe(0);

    clock += REVOCATIONS_REFRESH_MS;
    statements = statementsSent();
    expect(await open()).toBe("invalid");
    expect(statementsSent() - statements).toBe(1); // one read of the list, for the whole instance
    statements = statementsSent();
    for (let i = 0; i < 20; i++) expect(await open()).toBe("invalid");
    expect(statementsSent() - statements).toBe(0);
  });
});

/** Another ERC-20 (the test token's code at a new address), with 1 USDC-worth minted to its deployer. */
async function deployToken(key: Hex): Promise<`0x${string}`> {
  const w = wallet(key);
  const hash = await w.sendTransaction({
    data: encodeDeployData({
      abi: testUsdcArtifact.abi,
      bytecode: testUsdcArtifact.bytecode,
      args: [w.account.address],
    }),
    chain: null,
  });
  const { contractAddress } = await w.waitForTransactionReceipt({ hash });
  const mint = await w.writeContract({
    address: contractAddress!,
    abi: testUsdcArtifact.abi,
    functionName: "mint",
    args: [w.account.address, 1_000_000n],
    chain: null,
  });
  await w.waitForTransactionReceipt({ hash: mint });
  return contractAddress!;
}
