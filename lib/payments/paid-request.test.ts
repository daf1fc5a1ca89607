// The payment wrapper against a real anvil chain, the real test USDC, the official facilitator
// classes and an in-memory PGlite. Payments are made with the official x402 v2 client.
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { payments } from "../db/schema";
import { issueReceipt } from "../verify";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { handlePaidRequest } from "./paid-request";
import { officialClient, startHarness, usdcAbi, type Harness } from "./testing";
import { countLimitsExactly } from "@/test/rate-limits";

let h: Harness;
const PRICED = "the-long-wait-for-402"; // $0.05, 30 days
const OTHER = "what-a-penny-costs-to-move";

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function required(
  slugOrRes: string | Awaited<ReturnType<Harness["article"]>>,
): Promise<PaymentRequired> {
  const res = typeof slugOrRes === "string" ? await h.article(slugOrRes) : slugOrRes;
  const r = await h.request(res);
  expect(r.status).toBe(402);
  return decodePaymentRequiredHeader(r.headers.get("payment-required")!);
}

const sig = (p: PaymentPayload) => ({ "payment-signature": encodePaymentSignatureHeader(p) });
const settledCount = async (resource: string) =>
  (
    await h.db.db
      .select()
      .from(payments)
      .where(and(eq(payments.resource, resource), eq(payments.status, "settled")))
  ).length;
const cookieOf = (r: Response) => /kiosk_receipt=([^;]+)/.exec(r.headers.get("set-cookie") ?? "")?.[1];

describe("402 for a locked resource", () => {
  it("answers 402 with a PAYMENT-REQUIRED header the official decoder reads, and a helpful body", async () => {
    const res = await h.article(PRICED);
    const r = await h.request(res);
    expect(r.status).toBe(402);
    const pr = decodePaymentRequiredHeader(r.headers.get("payment-required")!);
    expect(pr.x402Version).toBe(2);
    expect(pr.resource.url).toBe(`http://kiosk.test/api/articles/${PRICED}`);
    expect(pr.accepts[0]).toMatchObject({
      scheme: "exact",
      network: "eip155:31337",
      amount: "50000",
      asset: h.chain.devnet.usdc,
      payTo: h.chain.devnet.payTo,
      extra: { name: "USD Coin", version: "2" },
    });
    const body = await r.json();
    expect(body.price).toMatchObject({ amount: "50000", display: "$0.05", usdc: "0.05" });
    // The transfer path quotes the price plus 1–999 atomic units, signed, so a transfer names its offer.
    expect(BigInt(body.transferQuote.amount)).toBeGreaterThan(50_000n);
    expect(BigInt(body.transferQuote.amount)).toBeLessThan(51_000n);
    expect(body.paymentUri).toBe(
      `ethereum:${h.chain.devnet.usdc}@31337/transfer?address=${h.chain.devnet.payTo}&uint256=${body.transferQuote.amount}`,
    );
    expect(body.error).toMatch(/PAYMENT-SIGNATURE/);
    expect(h.produced.get(res.key) ?? 0).toBe(0);
  });

  it("writes nothing to the database for unpaid requests", async () => {
    const before = (await h.db.db.select().from(payments)).length;
    for (let i = 0; i < 20; i++) await h.request(await h.article(OTHER));
    expect((await h.db.db.select().from(payments)).length).toBe(before);
  });
});

describe("paying with the official x402 v2 client", () => {
  it("pays an article: 200 with content, PAYMENT-RESPONSE on chain, publisher paid, receipt cookie works", async () => {
    const reader = h.readers[0]!;
    const res = await h.article(PRICED);
    const publisherBefore = await h.balance(h.chain.devnet.payTo);
    const readerBefore = await h.balance(reader.address);
    // wrapFetchWithPayment drives the whole handshake; its fetch goes straight into the wrapper.
    const paidFetch = wrapFetchWithPayment(
      (input, init) =>
        h.request(res, {
          headers: Object.fromEntries(
            new Headers(
              (init as RequestInit | undefined)?.headers ??
                (input instanceof Request ? input.headers : undefined),
            ),
          ),
        }),
      officialClient(reader, h.ctx.chain),
    );
    const r = await paidFetch(h.ctx.origin + res.apiPath);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: res.key });
    const settle = decodePaymentResponseHeader(r.headers.get("payment-response")!);
    expect(settle.success).toBe(true);
    const receipt = await h.client.getTransactionReceipt({ hash: settle.transaction as `0x${string}` });
    expect(receipt.status).toBe("success");
    expect(await h.balance(h.chain.devnet.payTo)).toBe(publisherBefore + 50_000n);
    expect(await h.balance(reader.address)).toBe(readerBefore - 50_000n);

    const setCookie = r.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toContain(`Path=/api/articles/${PRICED}`);
    expect(setCookie).toContain(`Path=/articles/${PRICED}`);
    const token = cookieOf(r)!;

    const again = await h.request(res, { headers: { cookie: `kiosk_receipt=${token}` } });
    expect(again.status).toBe(200);
    expect(again.headers.get("x-kiosk-access")).toBe("receipt");
    const bearer = await h.request(res, {
      headers: { authorization: `Bearer ${r.headers.get("kiosk-receipt")}` },
    });
    expect(bearer.status).toBe(200);
    const other = await h.request(await h.article(OTHER), { headers: { cookie: `kiosk_receipt=${token}` } });
    expect(other.status).toBe(402);
    const data = await h.request(await h.data("weather/harbor-tides.csv"), {
      headers: { cookie: `kiosk_receipt=${token}` },
    });
    expect(data.status).toBe(402);
    expect(await h.balance(h.chain.devnet.payTo)).toBe(publisherBefore + 50_000n);
  });

  it("pays a per-request data endpoint; the next request must pay again", async () => {
    const reader = h.readers[1]!;
    const res = await h.data("markets/stablecoin-supply.json");
    const before = await h.balance(h.chain.devnet.payTo);
    const r = await h.request(res, { headers: sig(await h.pay(reader, await required(res))) });
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(await h.balance(h.chain.devnet.payTo)).toBe(before + res.priceAtomic);
    expect((await h.request(res)).status).toBe(402);
  });

  it("an expired receipt and a forged receipt are treated as no receipt", async () => {
    const res = await h.article(OTHER);
    const claims = {
      sub: h.readers[2]!.address.toLowerCase(),
      res: res.key,
      amt: "100000",
      net: "eip155:31337",
    };
    const expired = await issueReceipt(
      claims,
      new Date(Date.now() - 1000),
      h.ctx.secrets,
      new Date(Date.now() - 10_000),
    );
    expect((await h.request(res, { headers: { cookie: `kiosk_receipt=${expired}` } })).status).toBe(402);
    const forged = await issueReceipt(claims, null, {
      current: new TextEncoder().encode("x".repeat(40)),
      previous: null,
    });
    expect((await h.request(res, { headers: { cookie: `kiosk_receipt=${forged}` } })).status).toBe(402);
    const good = await issueReceipt(claims, null, h.ctx.secrets);
    const [head, , signature] = good.split(".");
    const edited = `${head}.${Buffer.from(JSON.stringify({ ...claims, res: "article:" + OTHER, iss: "kiosk", iat: 1 })).toString("base64url")}.${signature}`;
    expect((await h.request(res, { headers: { cookie: `kiosk_receipt=${edited}` } })).status).toBe(402);
    expect((await h.request(res, { headers: { cookie: `kiosk_receipt=${good}` } })).status).toBe(200);
  });
});

describe("paying exactly once", () => {
  it("one payment header replayed 20× at once settles once and produces the content once", async () => {
    const reader = h.readers[3]!;
    const res = await h.article("reading-the-tide-tables");
    const before = await h.balance(h.chain.devnet.payTo);
    const headers = sig(await h.pay(reader, await required(res)));
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.request(res, { headers })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(await h.balance(h.chain.devnet.payTo)).toBe(before + res.priceAtomic);
    expect(await settledCount(res.key)).toBe(1);
    expect(h.produced.get(res.key)).toBe(statuses.filter((s) => s === 200).length);
    // Once settled, the header is public on chain: a copy gets the settlement, never the content.
    const later = await h.request(res, { headers });
    expect(later.status).toBe(409);
    expect(later.headers.get("set-cookie")).toBeNull();
    expect(decodePaymentResponseHeader(later.headers.get("payment-response")!).success).toBe(true);
    expect(await h.balance(h.chain.devnet.payTo)).toBe(before + res.priceAtomic);
  });

  it("two different payments from one wallet for one article at the same moment settle once", async () => {
    const reader = h.readers[4]!;
    const res = await h.article("clocks-that-disagree");
    const pr = await required(res);
    const [a, b] = [await h.pay(reader, pr), await h.pay(reader, pr)];
    const before = await h.balance(reader.address);
    const [ra, rb] = await Promise.all([
      h.request(res, { headers: sig(a) }),
      h.request(res, { headers: sig(b) }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    expect(await settledCount(res.key)).toBe(1);
  });

  it("a wallet that already bought the article gets it again without paying (lost cookie)", async () => {
    const reader = h.readers[4]!;
    const res = await h.article("clocks-that-disagree");
    const before = await h.balance(reader.address);
    const r = await h.request(res, { headers: sig(await h.pay(reader, await required(res))) });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-kiosk-access")).toBe("entitlement");
    expect(cookieOf(r)).toBeTruthy();
    expect(await h.balance(reader.address)).toBe(before);
  });

  it("a payment whose settlement answer was lost is recovered from the chain, not charged twice", async () => {
    const reader = h.readers[5]!;
    const res = await h.article("in-praise-of-the-marginal-note");
    const payload = await h.pay(reader, await required(res), { paymentIdentifier: true });
    // Simulate a crash after the chain settled but before the database heard of it.
    const before = await h.balance(reader.address);
    const first = h.request(res, { headers: sig(payload) });
    // Settle on the side with the same facilitator, as a crashed process would have.
    await (await first).text();
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    await h.db.db
      .update(payments)
      .set({ status: "settling", txHash: null, deliveredAt: null, updatedAt: new Date(Date.now() - 60_000) })
      .where(eq(payments.resource, res.key));
    await h.db.db.execute(`delete from entitlements where resource = '${res.key}'`);
    // The payer's own retry (same header, same payment-identifier) gets the content it paid for.
    const retry = await h.request(res, { headers: sig(payload) });
    expect(retry.status).toBe(200);
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    const [row] = await h.db.db.select().from(payments).where(eq(payments.resource, res.key));
    expect(row?.status).toBe("settled");
    expect(row?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe("payments that must be refused", () => {
  const res = () => h.article("plumbing-of-a-digital-dollar");

  async function expectRefused(headers: Record<string, string>, pattern: RegExp) {
    const r = await h.request(await res(), { headers });
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(402);
    expect(`${body.error} ${body.reason ?? ""}`).toMatch(pattern);
    return r;
  }

  it("no USDC → 402 not enough USDC, nothing settles", async () => {
    const pr = await required(await res());
    const before = await h.balance(h.chain.devnet.payTo);
    await expectRefused(sig(await h.pay(h.unfunded, pr)), /not enough usdc/i);
    expect(await h.balance(h.chain.devnet.payTo)).toBe(before);
  });

  it("an edited accepted requirement (amount, payTo, asset, network) → 402 naming the difference", async () => {
    const pr = await required(await res());
    const reader = h.readers[6]!;
    const p = await h.pay(reader, pr);
    const edit = (patch: Record<string, unknown>) =>
      sig({ ...p, accepted: { ...p.accepted, ...patch } } as PaymentPayload);
    await expectRefused(edit({ amount: "1" }), /wrong amount/);
    await expectRefused(edit({ payTo: reader.address }), /wrong recipient/);
    await expectRefused(edit({ asset: "0x0000000000000000000000000000000000000001" }), /wrong asset/);
    await expectRefused(edit({ network: "eip155:8453" }), /wrong network/);
  });

  it("authorization for the wrong amount, wrong recipient, expired, or badly signed → 402", async () => {
    const pr = await required(await res());
    const reader = h.readers[6]!;
    const p = await h.pay(reader, pr);
    const auth = (p.payload as { authorization: Record<string, string> }).authorization;
    const withAuth = (patch: Record<string, string>, signature?: string) =>
      sig({
        ...p,
        payload: {
          signature: signature ?? (p.payload as { signature: string }).signature,
          authorization: { ...auth, ...patch },
        },
      } as PaymentPayload);
    await expectRefused(withAuth({ value: "1" }), /value differs/);
    await expectRefused(withAuth({ to: reader.address }), /wrong recipient/);
    await expectRefused(withAuth({ validBefore: String(Math.floor(Date.now() / 1000) - 1) }), /expired/);
    // A signature by someone else over the same authorization.
    const other = await h.pay(h.readers[7]!, pr);
    await expectRefused(withAuth({}, (other.payload as { signature: string }).signature), /signature/i);
    expect(await settledCount((await res()).key)).toBe(0);
  });

  it("1,000 malformed payment headers → never a 5xx", async () => {
    const target = await res();
    const samples: string[] = ["", "!!!", "e30=", Buffer.from("[]").toString("base64"), "a".repeat(20_000)];
    const valid = encodePaymentSignatureHeader(await h.pay(h.readers[8]!, await required(target)));
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    while (samples.length < 1000) {
      const kind = samples.length % 4;
      if (kind === 0)
        samples.push(
          Buffer.from(
            Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)),
          ).toString("base64"),
        );
      else if (kind === 1) samples.push(valid.slice(0, Math.floor(rand() * valid.length)));
      else if (kind === 2) {
        const json = JSON.parse(Buffer.from(valid, "base64").toString());
        const keys = ["x402Version", "accepted", "payload", "resource"];
        json[keys[Math.floor(rand() * keys.length)]!] = [null, 1, "x", {}, [], true][Math.floor(rand() * 6)];
        samples.push(Buffer.from(JSON.stringify(json)).toString("base64"));
      } else {
        const chars = valid.split("");
        chars[Math.floor(rand() * chars.length)] = "A+/=$%"[Math.floor(rand() * 6)]!;
        samples.push(chars.join(""));
      }
    }
    const statuses = new Map<number, number>();
    for (const value of samples) {
      const r = await handlePaidRequest(
        new Request("http://kiosk.test" + target.apiPath, { headers: { "payment-signature": value } }),
        target,
        async () => ({ body: "x", contentType: "text/plain" }),
        h.ctx,
      );
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status, value.slice(0, 80)).toBeLessThan(500);
      if (r.status !== 402 && r.status !== 200) expect((await r.json()).error.code).toBeTruthy();
    }
    expect(statuses.get(400)).toBeGreaterThan(500);
    expect(await settledCount(target.key)).toBeLessThanOrEqual(1);
  });
});

describe("facilitator outages", () => {
  it("an unreachable chain answers 503 quickly and leaves nothing half-written", async () => {
    const { createInProcessFacilitator } = await import("./facilitator");
    const dead = createInProcessFacilitator({
      rpcUrl: "http://127.0.0.1:9", // discard port: nothing listens
      chainId: 31337,
      network: "eip155:31337",
      relayerPrivateKey: h.chain.devnet.accounts.find((a) => a.role === "relayer")!
        .privateKey as `0x${string}`,
      db: h.db.db,
    });
    const res = await h.article("what-a-penny-costs-to-move");
    const payload = await h.pay(h.readers[9]!, await required(res));
    const started = Date.now();
    const r = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, { headers: sig(payload) }),
      res,
      async () => ({ body: "x", contentType: "text/plain" }),
      { ...h.ctx, facilitator: dead },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect([502, 503]).toContain(r.status);
    expect((await r.json()).error.code).toBe("facilitator_unavailable");
    // The same payment works once the facilitator is back.
    const ok = await h.request(res, { headers: sig(payload) });
    expect(ok.status).toBe(200);
    void usdcAbi;
  });
});

describe("griefing and relayer exhaustion", () => {
  it("a relayer without gas money answers 503 relayer_unfunded, charges nothing, and the payment can retry", async () => {
    const { createInProcessFacilitator } = await import("./facilitator");
    const broke = createInProcessFacilitator({
      rpcUrl: h.chain.rpcUrl,
      chainId: 31337,
      network: "eip155:31337",
      relayerPrivateKey: `0x${"7".repeat(64)}`, // a key nobody funded
      db: h.db.db,
    });
    const res = await h.data("markets/stablecoin-supply.json");
    const reader = h.readers[9]!;
    const payload = await h.pay(reader, await required(res));
    const before = await h.balance(reader.address);
    const r = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, { headers: sig(payload) }),
      res,
      async () => ({ body: "x", contentType: "text/plain" }),
      { ...h.ctx, facilitator: broke },
    );
    expect(r.status).toBe(503);
    expect((await r.json()).error.code).toBe("relayer_unfunded");
    expect(await h.balance(reader.address)).toBe(before);
    expect((await h.request(res, { headers: sig(payload) })).status).toBe(200);
  });

  it("after 20 failed attempts in a minute a payer gets 429 before any chain call", async () => {
    countLimitsExactly();
    const res = await h.article("reading-the-tide-tables");
    const pr = await required(res);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      // Valid shape, signed by the unfunded wallet: passes the cheap checks, fails verification.
      const r = await h.request(res, {
        headers: { ...sig(await h.pay(h.unfunded, pr)), "x-forwarded-for": "203.0.113.9" },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 402)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe("start-up reconciliation", () => {
  it("settles payments a dead process left half-done, and releases abandoned reservations", async () => {
    const { reconcileUnfinished } = await import("./reconcile");
    const { entitlements } = await import("../db/schema");
    const res = await h.article("the-long-wait-for-402");
    const reader = h.readers[7]!;
    const r = await h.request(res, { headers: sig(await h.pay(reader, await required(res))) });
    expect(r.status).toBe(200);
    const payer = reader.address.toLowerCase();
    const mine = and(eq(payments.resource, res.key), eq(payments.payer, payer));
    // As if the process died after broadcasting: no hash recorded, no entitlement yet.
    await h.db.db
      .update(payments)
      .set({ status: "settling", txHash: null, updatedAt: new Date(Date.now() - 120_000) })
      .where(mine);
    await h.db.db
      .delete(entitlements)
      .where(and(eq(entitlements.resource, res.key), eq(entitlements.payer, payer)));
    // And a reservation that never reached the chain.
    const stale = await h.pay(reader, await required(await h.article("plumbing-of-a-digital-dollar")));
    const auth = (stale.payload as { authorization: { nonce: string } }).authorization;
    await h.db.db.insert(payments).values({
      method: "authorization",
      network: "eip155:31337",
      asset: h.chain.devnet.usdc.toLowerCase(),
      payer,
      payTo: h.chain.devnet.payTo.toLowerCase(),
      nonce: auth.nonce,
      amountAtomic: 500_000n,
      resource: "article:plumbing-of-a-digital-dollar",
      status: "reserved",
      lockKey: `${payer}|article:plumbing-of-a-digital-dollar`,
      updatedAt: new Date(Date.now() - 120_000),
    });

    const outcome = await reconcileUnfinished(h.db.db, h.client);
    expect(outcome.settled).toBeGreaterThanOrEqual(1);
    expect(outcome.released).toBeGreaterThanOrEqual(1);
    const [row] = await h.db.db.select().from(payments).where(mine);
    expect(row?.status).toBe("settled");
    expect(row?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const [ent] = await h.db.db
      .select()
      .from(entitlements)
      .where(and(eq(entitlements.resource, res.key), eq(entitlements.payer, payer)));
    expect(ent).toBeTruthy();
    // The released reservation no longer blocks the wallet: paying for that article works.
    const plumbing = await h.article("plumbing-of-a-digital-dollar");
    expect(
      (await h.request(plumbing, { headers: sig(await h.pay(reader, await required(plumbing))) })).status,
    ).toBe(200);
  });
});

describe("a balance drained after signing", () => {
  it("gets a clear 402 with no content and no receipt; once refilled, the same payment goes through", async () => {
    const { createWalletClient, http: viemHttp } = await import("viem");
    const reader = h.readers[8]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const headers = sig(await h.pay(reader, await required(res)));
    const balance = await h.balance(reader.address);
    const wallet = (account: typeof reader) =>
      createWalletClient({ account, transport: viemHttp(h.chain.rpcUrl) });
    const move = async (from: typeof reader, to: string, value: bigint) =>
      h.client.waitForTransactionReceipt({
        hash: await wallet(from).writeContract({
          chain: null,
          address: h.chain.devnet.usdc as `0x${string}`,
          abi: usdcAbi,
          functionName: "transfer",
          args: [to as `0x${string}`, value],
        }),
        pollingInterval: 20,
      });
    await move(reader, h.readers[9]!.address, balance); // drained between signing and paying
    const before = h.produced.get(res.key) ?? 0;
    const refused = await h.request(res, { headers });
    expect(refused.status).toBe(402);
    expect((await refused.json()).error).toMatch(/not enough usdc/i);
    expect(refused.headers.get("set-cookie")).toBeNull();
    expect(decodePaymentResponseHeader(refused.headers.get("payment-response")!).success).toBe(false);
    await move(h.readers[9]!, reader.address, balance);
    const ok = await h.request(res, { headers });
    expect(ok.status).toBe(200);
    expect(await h.balance(reader.address)).toBe(balance - res.priceAtomic);
    expect((h.produced.get(res.key) ?? 0) - before).toBe(2); // produced for both tries; delivered once
  });
});

describe("a settlement whose answer is lost", () => {
  it("is reconciled from the chain at once: the reader gets the content, charged exactly once", async () => {
    const reader = h.readers[2]!;
    const res = await h.article("in-praise-of-the-marginal-note");
    const headers = sig(await h.pay(reader, await required(res)));
    const before = await h.balance(reader.address);
    // The real facilitator settles on chain, then the answer is dropped on the way back.
    const lossy = {
      ...h.facilitator,
      settle: async (...args: Parameters<typeof h.facilitator.settle>) => {
        await h.facilitator.settle(...args);
        return { kind: "unknown" as const, reason: "connection reset" };
      },
    };
    const r = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, { headers }),
      res,
      async () => ({ body: "content", contentType: "text/plain" }),
      { ...h.ctx, facilitator: lossy },
    );
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("content");
    expect(r.headers.get("set-cookie")).toMatch(/kiosk_receipt=/);
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    const [row] = await h.db.db
      .select()
      .from(payments)
      .where(and(eq(payments.resource, res.key), eq(payments.payer, reader.address.toLowerCase())));
    expect(row?.status).toBe("settled");
    expect(row?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("when nothing reached the chain, answers 502 and keeps the payment for a retry, never charging", async () => {
    const reader = h.readers[2]!;
    const res = await h.data("markets/stablecoin-supply.json");
    const headers = sig(await h.pay(reader, await required(res)));
    const before = await h.balance(reader.address);
    const silent = {
      ...h.facilitator,
      settle: async () => ({ kind: "unknown" as const, reason: "timeout" }),
    };
    const r = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, { headers }),
      res,
      async () => ({ body: "content", contentType: "text/plain" }),
      { ...h.ctx, facilitator: silent },
    );
    expect(r.status).toBe(502);
    expect((await r.json()).error.message).toMatch(/never be charged twice/);
    expect(await h.balance(reader.address)).toBe(before);
    // Retried at once, the same payment is still in flight: 409, not a second attempt.
    expect((await h.request(res, { headers })).status).toBe(409);
  });
});
