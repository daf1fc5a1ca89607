// The plain-transfer path on a real anvil: a reader takes the 402's transfer quote, sends exactly
// its amount with an ordinary `transfer`, signs a claim for this site, and the server checks the
// quote, the signature and the transaction on chain before granting access. Covers claim.ts and
// the on-chain check in transfer.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { testUsdcArtifact } from "../../contracts/artifacts";
import type { PricedResource } from "../content/catalog";
import type { Db } from "../db/client";
import { articles, entitlements, payments } from "../db/schema";
import { recentSales } from "../studio/sales";
import { handleTransferClaim } from "./claim";
import { handlePaidRequest } from "./paid-request";
import { issueTransferQuote } from "./transfer-quote";
import { startHarness, usdcAbi, type Harness } from "./testing";
import { claimMessage } from "./claim-message";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function transfer(
  h: Harness,
  from: PrivateKeyAccount,
  to: string,
  value: bigint,
  opts: { token?: Hex; gas?: bigint } = {},
) {
  const wallet = createWalletClient({ account: from, transport: http(h.chain.rpcUrl) });
  const hash = await wallet.sendTransaction({
    chain: null,
    to: opts.token ?? (h.chain.devnet.usdc as Hex),
    data: encodeFunctionData({ abi: usdcAbi, functionName: "transfer", args: [to as Hex, value] }),
    gas: opts.gas ?? 100_000n, // explicit gas: a transfer that reverts is still mined
  });
  // The hash comes back when the node accepts the transaction; claims are about mined ones.
  await h.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  return hash;
}

type TransferQuoteBody = { token: string; amount: string; display: string };

/** The quote the 402 hands out for the plain-transfer path. */
async function quoteOf(h: Harness, resource: PricedResource) {
  const r = await h.request(resource);
  expect(r.status).toBe(402);
  const q = ((await r.json()) as { transferQuote: TransferQuoteBody }).transferQuote;
  return { token: q.token, amount: BigInt(q.amount), display: q.display };
}

async function claimBody(
  h: Harness,
  resource: PricedResource,
  txHash: Hex,
  signer: PrivateKeyAccount,
  quote: string,
  opts: { origin?: string; issuedAt?: string } = {},
) {
  const issuedAt = opts.issuedAt ?? new Date().toISOString();
  const signature = await signer.signMessage({
    message: claimMessage({
      origin: opts.origin ?? h.ctx.origin,
      resource: resource.key,
      txHash,
      chainId: h.ctx.chain.chainId,
      issuedAt,
    }),
  });
  return { resource: resource.apiPath, txHash, signature, quote, issuedAt };
}

const produce = (resource: PricedResource) => async () => ({
  contentType: "application/json",
  body: JSON.stringify({ ok: resource.key }),
});

async function claim(
  h: Harness,
  resource: PricedResource,
  txHash: Hex,
  signer: PrivateKeyAccount,
  quote: string,
  opts: { minConfirmations?: number; ctx?: Partial<Harness["ctx"]> } = {},
) {
  return handleTransferClaim(
    await claimBody(h, resource, txHash, signer, quote),
    resource,
    produce(resource),
    {
      ...h.ctx,
      ...opts.ctx,
      minConfirmations: opts.minConfirmations ?? 1,
    },
  );
}

/** Fetches a quote, transfers exactly its amount to the publisher, and returns both. */
async function payQuote(h: Harness, from: PrivateKeyAccount, resource: PricedResource) {
  const quote = await quoteOf(h, resource);
  const hash = await transfer(h, from, h.chain.devnet.payTo, quote.amount);
  return { quote, hash };
}

describe("claiming a plain USDC transfer", () => {
  it("a transfer of the quoted amount to the publisher unlocks, with the receipt cookie", async () => {
    const reader = h.readers[0]!;
    const res = await h.article("the-long-wait-for-402");
    const { quote, hash } = await payQuote(h, reader, res);
    // The quote is the price plus 1–999 atomic units, unique enough to name this offer.
    expect(quote.amount).toBeGreaterThan(res.priceAtomic);
    expect(quote.amount).toBeLessThan(res.priceAtomic + 1000n);
    const r = await claim(h, res, hash, reader, quote.token);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/kiosk_receipt=.+HttpOnly/);
    const token = r.headers.get("kiosk-receipt")!;
    expect((await h.request(res, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const [row] = await h.db.db.select().from(payments).where(eq(payments.txHash, hash.toLowerCase()));
    expect(row).toMatchObject({ status: "settled", amountAtomic: quote.amount, method: "transfer" });
  });

  it("refuses a hash claimed by someone who did not send it, or for another article", async () => {
    const reader = h.readers[1]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const { quote, hash } = await payQuote(h, reader, res);
    const thief = await claim(h, res, hash, h.readers[2]!, quote.token);
    expect(thief.status).toBe(402);
    expect(await thief.json()).toMatchObject({ status: "refused", reason: "not-sender" });
    const mine = await claim(h, res, hash, reader, quote.token);
    expect(mine.status, await mine.clone().text()).toBe(200);
    // Another article's quote names another amount: the transfer matches none of it.
    const clocks = await h.article("clocks-that-disagree");
    const other = await claim(h, clocks, hash, reader, (await quoteOf(h, clocks)).token);
    expect(other.status).toBe(402);
    expect(await other.json()).toMatchObject({ status: "refused", reason: "not-quoted" });
    // The sender re-claiming the same article (a lost cookie) is not charged again.
    expect((await claim(h, res, hash, reader, quote.token)).status).toBe(200);
  });

  it("two racing claims of one hash: one payment row, one sale", async () => {
    const reader = h.readers[3]!;
    const a = await h.article("in-praise-of-the-marginal-note");
    const { quote, hash } = await payQuote(h, reader, a);
    const answers = await Promise.all([
      claim(h, a, hash, reader, quote.token),
      claim(h, a, hash, reader, quote.token),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.map((r) => r.headers.get("x-kiosk-access")).sort()).toEqual(["entitlement", "paid"]);
    const rows = await h.db.db.select().from(payments).where(eq(payments.txHash, hash.toLowerCase()));
    expect(rows).toHaveLength(1);
  });

  it("refuses underpayment, the bare price, the wrong recipient, the wrong token and a reverted transfer, each with its reason", async () => {
    const reader = h.readers[4]!;
    const res = await h.article("plumbing-of-a-digital-dollar");
    const expectRefusal = async (
      value: (q: bigint) => bigint,
      reason: string,
      opts: { to?: string; token?: Hex; from?: PrivateKeyAccount } = {},
    ) => {
      const quote = await quoteOf(h, res);
      const from = opts.from ?? reader;
      const hash = await transfer(h, from, opts.to ?? h.chain.devnet.payTo, value(quote.amount), {
        token: opts.token,
      });
      const r = await claim(h, res, hash, from, quote.token);
      expect(r.status).toBe(402);
      expect(await r.json()).toMatchObject({ status: "refused", reason });
    };
    await expectRefusal((q) => q - 1n, "underpaid");
    // A transfer of the list price (a tip, a payment to another shop sharing the address) is no quote of ours.
    await expectRefusal(() => res.priceAtomic + 1_000n, "not-quoted");
    await expectRefusal((q) => q, "wrong-recipient", { to: h.readers[5]!.address });
    // Another token with the same interface, deployed by the reader, minted to the reader.
    const wallet = createWalletClient({ account: reader, transport: http(h.chain.rpcUrl) });
    const deploy = await wallet.deployContract({
      chain: null,
      abi: testUsdcArtifact.abi,
      bytecode: testUsdcArtifact.bytecode,
      args: [reader.address],
    });
    const fake = (await h.client.waitForTransactionReceipt({ hash: deploy, pollingInterval: 20 }))
      .contractAddress!;
    await h.client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        chain: null,
        address: fake,
        abi: testUsdcArtifact.abi,
        functionName: "mint",
        args: [reader.address, 10n ** 9n],
      }),
      pollingInterval: 20,
    });
    await expectRefusal((q) => q, "wrong-token", { token: fake });
    await expectRefusal((q) => q, "reverted", { from: h.unfunded });
  });

  it("an unknown hash answers 402 not-found with Retry-After", async () => {
    const res = await h.article("the-long-wait-for-402");
    const r = await claim(
      h,
      res,
      ("0x" + "ab".repeat(32)) as Hex,
      h.readers[0]!,
      (await quoteOf(h, res)).token,
    );
    expect(r.status).toBe(402);
    expect(r.headers.get("retry-after")).toBeTruthy();
    expect(await r.json()).toMatchObject({ status: "not-found" });
  });
});

describe("a wallet that already holds the article", () => {
  it("a new transfer claim answers 409 already yours, grants nothing more, and is listed for a refund in the sales", async () => {
    const reader = h.readers[6]!;
    const res = await h.article("plumbing-of-a-digital-dollar");
    const first = await payQuote(h, reader, res);
    expect((await claim(h, res, first.hash, reader, first.quote.token)).status).toBe(200);

    const again = await payQuote(h, reader, res);
    const r = await claim(h, res, again.hash, reader, again.quote.token);
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ error: { code: "already_yours" } });
    expect(r.headers.get("set-cookie")).toBeNull();
    // Claimed again, the same hash answers the same, and still grants nothing.
    const twice = await claim(h, res, again.hash, reader, again.quote.token);
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: "already_yours" } });

    const [row] = await h.db.db.select().from(payments).where(eq(payments.txHash, again.hash.toLowerCase()));
    expect(row).toMatchObject({ status: "settled", refundDue: true, amountAtomic: again.quote.amount });
    const held = await h.db.db
      .select()
      .from(entitlements)
      .where(and(eq(entitlements.payer, reader.address.toLowerCase()), eq(entitlements.resource, res.key)));
    expect(held).toHaveLength(1);
    const sales = await recentSales(h.db.db, [res.key], 100);
    expect(sales.find((s) => s.txHash === again.hash.toLowerCase())).toMatchObject({ refundDue: true });
    expect(sales.find((s) => s.txHash === first.hash.toLowerCase())).toMatchObject({ refundDue: false });
  });
});

describe("a claim is bound to one offer", () => {
  it("the quoted amount is honoured after the price changed", async () => {
    const reader = h.readers[8]!;
    const res = await h.article("reading-the-tide-tables");
    const { quote, hash } = await payQuote(h, reader, res);
    await h.db.db
      .update(articles)
      .set({ priceAtomic: res.priceAtomic * 2n })
      .where(eq(articles.slug, "reading-the-tide-tables"));
    try {
      const raised = await h.article("reading-the-tide-tables");
      expect(raised.priceAtomic).toBe(res.priceAtomic * 2n);
      const r = await claim(h, raised, hash, reader, quote.token);
      expect(r.status, await r.clone().text()).toBe(200);
    } finally {
      await h.db.db
        .update(articles)
        .set({ priceAtomic: res.priceAtomic })
        .where(eq(articles.slug, "reading-the-tide-tables"));
    }
  });

  it("a quote that is missing, forged, for another article or expired is refused before any chain read", async () => {
    const reader = h.readers[9]!;
    const res = await h.article("the-long-wait-for-402");
    const { quote, hash } = await payQuote(h, reader, res);
    const expect400 = async (token: string, message: RegExp) => {
      const r = await claim(h, res, hash, reader, token, { ctx: { chainClient: deadClient() } });
      expect(r.status).toBe(400);
      expect((await r.json()).error.message).toMatch(message);
    };
    const forged = issueTransferQuote(
      { resource: res.key, price: res.priceAtomic, payTo: h.chain.devnet.payTo, network: h.ctx.chain.caip2 },
      { current: new TextEncoder().encode("another-deployment-secret-0123456789"), previous: null },
    );
    await expect400(forged.token, /not issued by this site/);
    const other = await quoteOf(h, await h.article("clocks-that-disagree"));
    await expect400(other.token, /another article/);
    const stale = issueTransferQuote(
      { resource: res.key, price: res.priceAtomic, payTo: h.chain.devnet.payTo, network: h.ctx.chain.caip2 },
      h.ctx.secrets,
      new Date(Date.now() - 3 * 3600_000),
    );
    await expect400(stale.token, /expired/);
    await expect400("not.a.jwt", /malformed/);
    // The genuine quote still works.
    expect((await claim(h, res, hash, reader, quote.token)).status).toBe(200);
  });

  it("a claim signature made for another site, or too long ago, does not work here", async () => {
    const reader = h.readers[5]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const { quote, hash } = await payQuote(h, reader, res);
    const body = await claimBody(h, res, hash, reader, quote.token);
    // Deployment B (same chain, same USDC, another origin) is handed A's signed claim.
    const elsewhere = await handleTransferClaim(body, res, produce(res), {
      ...h.ctx,
      origin: "https://kiosk-b.example",
      minConfirmations: 1,
    });
    expect(elsewhere.status).toBe(402);
    expect(await elsewhere.json()).toMatchObject({ status: "refused", reason: "not-sender" });
    const old = await claimBody(h, res, hash, reader, quote.token, {
      issuedAt: new Date(Date.now() - 11 * 60_000).toISOString(),
    });
    const late = await handleTransferClaim(old, res, produce(res), { ...h.ctx, minConfirmations: 1 });
    expect(late.status).toBe(400);
    expect((await late.json()).error.message).toMatch(/10 minutes/);
    const future = await claimBody(h, res, hash, reader, quote.token, {
      issuedAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    expect(
      (await handleTransferClaim(future, res, produce(res), { ...h.ctx, minConfirmations: 1 })).status,
    ).toBe(400);
    // Here, signed now, it works.
    expect(
      (await handleTransferClaim(body, res, produce(res), { ...h.ctx, minConfirmations: 1 })).status,
    ).toBe(200);
  });
});

describe("a gasless settlement is never a transfer", () => {
  it("its payer cannot claim it, even when the facilitator answered the hash in upper case", async () => {
    const reader = h.readers[2]!;
    const res = await h.article("in-praise-of-the-marginal-note");
    const r402 = await h.request(res);
    const payload = await h.pay(reader, decodePaymentRequiredHeader(r402.headers.get("payment-required")!));
    // A hosted facilitator that spells the hash in upper case.
    const shouting = {
      ...h.facilitator,
      settle: async (...args: Parameters<typeof h.facilitator.settle>) => {
        const s = await h.facilitator.settle(...args);
        return s.kind === "settled"
          ? { ...s, transaction: `0x${s.transaction.slice(2).toUpperCase()}` as const }
          : s;
      },
    };
    const paid = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, {
        headers: { "payment-signature": encodePaymentSignatureHeader(payload) },
      }),
      res,
      produce(res),
      { ...h.ctx, facilitator: shouting },
    );
    expect(paid.status).toBe(200);
    const [row] = await h.db.db
      .select()
      .from(payments)
      .where(and(eq(payments.payer, reader.address.toLowerCase()), eq(payments.resource, res.key)));
    expect(row?.txHash).toMatch(/^0x[0-9a-f]{64}$/); // stored in one spelling
    // The payer claims that settlement as a transfer, for another article of the same publisher.
    const clocks = await h.article("clocks-that-disagree");
    for (const spelling of [row!.txHash!, "0x" + row!.txHash!.slice(2).toUpperCase()]) {
      const r = await claim(h, clocks, spelling as Hex, reader, (await quoteOf(h, clocks)).token);
      expect(r.status).toBe(402);
      expect(await r.json()).toMatchObject({ status: "refused", reason: "gasless-settlement" });
    }
  });
});

describe("a write that fails after the chain checks", () => {
  it("leaves nothing behind: the same hash can be claimed again and unlocks", async () => {
    const reader = h.readers[7]!;
    const res = await h.article("clocks-that-disagree");
    const { quote, hash } = await payQuote(h, reader, res);
    // The database answers every statement, except the first entitlement insert (a crash, a
    // dropped connection) — inside a transaction or not.
    let failures = 1;
    const flaky = (db: Db): Db =>
      new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === "insert") {
            return (table: unknown) => {
              if (table === entitlements && failures-- > 0) throw new Error("connection lost");
              return target.insert(table as typeof entitlements);
            };
          }
          if (prop === "transaction") {
            return (fn: (tx: Db) => Promise<unknown>) =>
              target.transaction((tx) => fn(flaky(tx as unknown as Db)));
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    const body = await claimBody(h, res, hash, reader, quote.token);
    await expect(
      handleTransferClaim(body, res, produce(res), { ...h.ctx, db: flaky(h.ctx.db), minConfirmations: 1 }),
    ).rejects.toThrow(/connection lost/);
    const again = await handleTransferClaim(body, res, produce(res), { ...h.ctx, minConfirmations: 1 });
    expect(again.status, await again.clone().text()).toBe(200);
    expect(again.headers.get("kiosk-receipt")).toBeTruthy();
  });
});

describe("confirmations on a chain with real block times", () => {
  let slow: Harness;
  beforeAll(async () => {
    slow = await startHarness({ blockTime: 1 });
  });
  afterAll(async () => {
    await slow?.stop();
  });

  it("a fresh transfer answers pending with Retry-After, then unlocks once confirmed", async () => {
    const reader = slow.readers[0]!;
    const res = await slow.article("the-long-wait-for-402");
    const { quote, hash } = await payQuote(slow, reader, res);
    const first = await claim(slow, res, hash, reader, quote.token, { minConfirmations: 3 });
    expect(first.status).toBe(402);
    expect(first.headers.get("retry-after")).toBeTruthy();
    const body = await first.json();
    expect(body).toMatchObject({ status: "pending", required: 3 });
    expect(body.confirmations).toBeLessThan(3);
    const deadline = Date.now() + 15_000;
    let last = first;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      last = await claim(slow, res, hash, reader, quote.token, { minConfirmations: 3 });
      if (last.status !== 402) break;
    }
    expect(last.status).toBe(200);
  });
});

function deadClient() {
  return createPublicClient({
    transport: http("http://127.0.0.1:9", { retryCount: 0, timeout: 2_000 }),
  }) as unknown as Harness["ctx"]["chainClient"];
}

describe("a chain that cannot be read", () => {
  it("answers 503 with Retry-After, records nothing, and the claim works once the chain is back", async () => {
    const reader = h.readers[6]!;
    const res = await h.article("reading-the-tide-tables");
    const { quote, hash } = await payQuote(h, reader, res);
    const body = await claimBody(h, res, hash, reader, quote.token);
    const down = await handleTransferClaim(body, res, produce(res), {
      ...h.ctx,
      chainClient: deadClient(),
      minConfirmations: 1,
    });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeTruthy();
    expect((await down.json()).error.code).toBe("chain_unavailable");
    const back = await handleTransferClaim(body, res, produce(res), { ...h.ctx, minConfirmations: 1 });
    expect(back.status).toBe(200);
  });
});
