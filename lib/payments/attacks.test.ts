// The paid path tried as a stranger would, with only public data (the chain, the 402, the
// catalogue), and as a faulty network would: each test is an attack or a fault from the threat
// model, against a real anvil chain, the real test USDC, the official facilitator and PGlite.
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import {
  createWalletClient,
  decodeFunctionData,
  http,
  parseAbi,
  serializeSignature,
  toHex,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payments } from "../db/schema";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { handlePaidRequest, type PaidContext } from "./paid-request";
import { countLimitsExactly } from "@/test/rate-limits";
import { ORIGIN, startHarness, type Harness } from "./testing";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const settleAbi = parseAbi([
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)",
]);

type Resource = Awaited<ReturnType<Harness["article"]>>;

async function required(res: Resource): Promise<PaymentRequired> {
  const r = await h.request(res);
  expect(r.status).toBe(402);
  return decodePaymentRequiredHeader(r.headers.get("payment-required")!);
}
const sig = (p: PaymentPayload) => ({ "payment-signature": encodePaymentSignatureHeader(p) });
const rowsOf = (payer: string, resource: string) =>
  h.db.db
    .select()
    .from(payments)
    .where(and(eq(payments.payer, payer.toLowerCase()), eq(payments.resource, resource)));

function request(res: Resource, headers: Record<string, string>, ctx: Partial<PaidContext> = {}) {
  return handlePaidRequest(
    new Request(ORIGIN + res.apiPath, { headers }),
    res,
    async () => ({ body: `the content of ${res.key}`, contentType: "text/plain" }),
    { ...h.ctx, ...ctx },
  );
}

/** What a bot watching the chain can build: the settlement's calldata plus the public 402. */
async function rebuildFromChain(txHash: Hex, pr: PaymentRequired): Promise<PaymentPayload> {
  const tx = await h.client.getTransaction({ hash: txHash });
  const { args } = decodeFunctionData({ abi: settleAbi, data: tx.input });
  const [from, to, value, validAfter, validBefore, nonce] = args;
  const signature =
    args.length === 9 ? serializeSignature({ v: BigInt(args[6]), r: args[7], s: args[8] }) : (args[6] as Hex);
  return {
    x402Version: 2,
    resource: pr.resource,
    accepted: pr.accepts[0]!,
    payload: {
      signature,
      authorization: {
        from,
        to,
        value: value.toString(),
        validAfter: validAfter.toString(),
        validBefore: validBefore.toString(),
        nonce,
      },
    },
  } as PaymentPayload;
}

function expectNoAccess(r: Response) {
  expect(r.headers.get("set-cookie")).toBeNull();
  expect(r.headers.get("kiosk-receipt")).toBeNull();
  expect(r.headers.get("x-kiosk-access")).toBeNull();
}

describe("nothing public unlocks anything", () => {
  it("a header rebuilt from the settlement transaction gets 409 with the settlement, never the content", async () => {
    const reader = h.readers[0]!;
    const res = await h.article("the-long-wait-for-402");
    const pr = await required(res);
    const paid = await request(res, sig(await h.pay(reader, pr)));
    expect(paid.status).toBe(200);
    const txHash = decodePaymentResponseHeader(paid.headers.get("payment-response")!).transaction as Hex;

    // The stranger: no cookies, nothing but calldata and the 402.
    const forged = await rebuildFromChain(txHash, pr);
    const r = await request(res, sig(forged));
    expect(r.status).toBe(409);
    expect(await r.text()).not.toContain("the content of");
    expectNoAccess(r);
    const settlement = decodePaymentResponseHeader(r.headers.get("payment-response")!);
    expect(settlement).toMatchObject({ success: true, transaction: txHash });

    // Nor for any other item in the catalogue with the same payTo and price.
    for (const slug of ["reading-the-tide-tables", "clocks-that-disagree", "what-a-penny-costs-to-move"]) {
      const other = await h.article(slug);
      const forgedOther = await rebuildFromChain(txHash, await required(other));
      const o = await request(other, sig(forgedOther));
      expect([402, 409]).toContain(o.status);
      expect(await o.text()).not.toContain("the content of");
      expectNoAccess(o);
    }
    for (const path of ["markets/stablecoin-supply.json", "weather/harbor-tides.csv"]) {
      const data = await h.data(path);
      const o = await request(data, sig(await rebuildFromChain(txHash, await required(data))));
      expect([402, 409]).toContain(o.status);
      expectNoAccess(o);
    }
  });

  it("an authorization the owner settled elsewhere (directly on chain) proves nothing here", async () => {
    const reader = h.readers[1]!;
    const res = await h.article("clocks-that-disagree");
    const pr = await required(res);
    expect((await request(res, sig(await h.pay(reader, pr)))).status).toBe(200); // the reader owns it

    // Another merchant sharing this payTo settles one of the reader's authorizations itself.
    const elsewhere = await h.pay(reader, pr);
    const p = elsewhere.payload as {
      signature: Hex;
      authorization: Record<string, string>;
    };
    const a = p.authorization;
    const wallet = createWalletClient({ account: h.readers[9]!, transport: http(h.chain.rpcUrl) });
    const hash = await wallet.writeContract({
      chain: null,
      address: h.chain.devnet.usdc as Hex,
      abi: settleAbi,
      functionName: "transferWithAuthorization",
      args: [
        a.from as Hex,
        a.to as Hex,
        BigInt(a.value!),
        BigInt(a.validAfter!),
        BigInt(a.validBefore!),
        a.nonce as Hex,
        p.signature,
      ],
    });
    await h.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });

    const rebuilt = await rebuildFromChain(hash, pr);
    const r = await request(res, sig(rebuilt));
    expect(r.status).toBe(409);
    expectNoAccess(r);
  });

  it("an authorization settled elsewhere, for something not yet bought, buys nothing here: 409, no charge, not counted", async () => {
    countLimitsExactly();
    const reader = h.readers[8]!;
    const res = await h.data("markets/stablecoin-supply.json"); // per request: no entitlement to restore
    const pr = await required(res);
    const elsewhere = await h.pay(reader, pr);
    const p = elsewhere.payload as { signature: Hex; authorization: Record<string, string> };
    const a = p.authorization;
    const wallet = createWalletClient({ account: h.readers[9]!, transport: http(h.chain.rpcUrl) });
    const hash = await wallet.writeContract({
      chain: null,
      address: h.chain.devnet.usdc as Hex,
      abi: settleAbi,
      functionName: "transferWithAuthorization",
      args: [
        a.from as Hex,
        a.to as Hex,
        BigInt(a.value!),
        BigInt(a.validAfter!),
        BigInt(a.validBefore!),
        a.nonce as Hex,
        p.signature,
      ],
    });
    await h.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    const before = await h.balance(reader.address);
    for (let i = 0; i < 21; i++) {
      const r = await request(res, sig(await rebuildFromChain(hash, pr)));
      expect(r.status).toBe(409);
      expectNoAccess(r);
    }
    expect(await h.balance(reader.address)).toBe(before);
    // Not the payer's failure: their next real payment goes through.
    expect((await request(res, sig(await h.pay(reader, pr)))).status).toBe(200);
  });

  it("a fresh proof restores a purchase without a charge, once: the same proof again gets 409", async () => {
    const reader = h.readers[2]!;
    const res = await h.article("reading-the-tide-tables");
    const pr = await required(res);
    expect((await request(res, sig(await h.pay(reader, pr)))).status).toBe(200);
    const before = await h.balance(reader.address);
    const proof = sig(await h.pay(reader, pr));
    const restored = await request(res, proof);
    expect(restored.status).toBe(200);
    expect(restored.headers.get("x-kiosk-access")).toBe("entitlement");
    expect(restored.headers.get("set-cookie")).toMatch(/kiosk_receipt=/);
    const replay = await request(res, proof);
    expect(replay.status).toBe(409);
    expectNoAccess(replay);
    expect(await h.balance(reader.address)).toBe(before);
    const rows = await rowsOf(reader.address, res.key);
    expect(rows.filter((r) => r.status === "proof")).toHaveLength(1);
  });

  it("a payment naming another resource in its `resource` field is refused", async () => {
    const res = await h.article("plumbing-of-a-digital-dollar");
    const other = await h.article("in-praise-of-the-marginal-note");
    const pr = await required(res);
    const p = await h.pay(h.readers[3]!, {
      ...pr,
      resource: { ...pr.resource, url: ORIGIN + other.apiPath },
    });
    const r = await request(res, sig(p));
    expect(r.status).toBe(402);
    expect((await r.json()).error).toMatch(/another resource/);
  });
});

describe("an honest retry after a lost answer (payment-identifier)", () => {
  it("is served once for a settled payment whose 200 was never sent; copies without the id get 409", async () => {
    const reader = h.readers[3]!;
    const res = await h.data("markets/stablecoin-supply.json"); // per request: no entitlement to restore
    const pr = await required(res);
    const payload = await h.pay(reader, pr, { paymentIdentifier: true });
    const id = (payload.extensions?.["payment-identifier"] as { info: { id: string } }).info.id;
    expect(id).toMatch(/^pay_/);
    const before = await h.balance(reader.address);
    // The settlement's answer is lost and the chain has not shown it yet: 502.
    let settleArgs: Parameters<Harness["facilitator"]["settle"]> | null = null;
    const lossy = {
      ...h.facilitator,
      settle: async (...args: Parameters<Harness["facilitator"]["settle"]>) => {
        settleArgs = args;
        return { kind: "unknown" as const, reason: "connection reset" };
      },
    };
    const first = await request(res, sig(payload), { facilitator: lossy });
    expect(first.status).toBe(502);
    // ...then the transaction lands after all.
    expect((await h.facilitator.settle(...settleArgs!)).kind).toBe("settled");
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);

    const later = () => new Date(Date.now() + 20_000); // past the "stale settling" age
    // A copy without the id (what a stranger could rebuild) gets the settlement, not the data.
    const { extensions: _dropped, ...withoutId } = payload;
    void _dropped;
    const stranger = await request(res, sig(withoutId as PaymentPayload), { now: later });
    expect(stranger.status).toBe(409);
    // The payer's own retry, with its id: the content, once.
    const retry = await request(res, sig(payload), { now: later });
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe(`the content of ${res.key}`);
    const again = await request(res, sig(payload), { now: later });
    expect(again.status).toBe(409);
    expect(decodePaymentResponseHeader(again.headers.get("payment-response")!).success).toBe(true);
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
  });

  it("a malformed payment-identifier is a 400", async () => {
    const res = await h.data("markets/stablecoin-supply.json");
    const p = await h.pay(h.readers[3]!, await required(res));
    const bad = {
      ...p,
      extensions: { "payment-identifier": { info: { required: false, id: "short" } } },
    } as PaymentPayload;
    const r = await request(res, sig(bad));
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/payment-identifier/);
  });
});

describe("nobody locks a stranger out", () => {
  it("junk naming a victim's wallet never throttles the victim, and never reaches the payments table", async () => {
    countLimitsExactly();
    const victim = h.readers[4]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const pr = await required(res);
    const genuine = await h.pay(victim, pr);
    const auth = (genuine.payload as { authorization: Record<string, string> }).authorization;
    const rowsBefore = (await rowsOf(victim.address, res.key)).length;
    for (let i = 0; i < 30; i++) {
      const junk = {
        ...genuine,
        payload: {
          signature: toHex(crypto.getRandomValues(new Uint8Array(65))),
          authorization: { ...auth, nonce: toHex(crypto.getRandomValues(new Uint8Array(32))) },
        },
      } as PaymentPayload;
      const r = await request(res, { ...sig(junk), "x-forwarded-for": `198.51.100.${i}` });
      expect([402, 429]).toContain(r.status);
    }
    expect((await rowsOf(victim.address, res.key)).length).toBe(rowsBefore);
    const ok = await request(res, sig(genuine));
    expect(ok.status).toBe(200);
  });

  it("with no trusted proxy, rotating X-Forwarded-For does not reset the IP limit", async () => {
    countLimitsExactly();
    const res = await h.article("what-a-penny-costs-to-move");
    const p = await h.pay(h.readers[5]!, await required(res));
    const auth = (p.payload as { authorization: Record<string, string> }).authorization;
    const junk = (i: number) =>
      sig({
        ...p,
        payload: {
          signature: toHex(crypto.getRandomValues(new Uint8Array(65))),
          authorization: {
            ...auth,
            from: privateKeyToAccount(toHex(crypto.getRandomValues(new Uint8Array(32)))).address,
            nonce: toHex(i, { size: 32 }),
          },
        },
      } as PaymentPayload);
    const statuses: number[] = [];
    for (let i = 0; i < 110; i++)
      statuses.push((await request(res, { ...junk(i), "x-forwarded-for": `203.0.113.${i % 250}` })).status);
    expect(statuses.slice(0, 100).filter((s) => s !== 402)).toEqual([]);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    // ...while a genuine payer is unaffected by the shared bucket.
    expect((await request(res, sig(await h.pay(h.readers[5]!, await required(res))))).status).toBe(200);
  });

  it("behind one trusted proxy, the limit is per client address", async () => {
    countLimitsExactly();
    const res = await h.article("plumbing-of-a-digital-dollar");
    const p = await h.pay(h.readers[6]!, await required(res));
    const auth = (p.payload as { authorization: Record<string, string> }).authorization;
    const junk = (i: number) =>
      sig({
        ...p,
        payload: {
          signature: toHex(new Uint8Array(65).fill(1)),
          authorization: { ...auth, nonce: toHex(i, { size: 32 }) },
        },
      } as PaymentPayload);
    const as = (i: number, xff: string) =>
      request(res, { ...junk(i), "x-forwarded-for": xff }, { trustedProxyHops: 1 });
    for (let i = 0; i < 20; i++) expect((await as(i, `spoofed, 192.0.2.1`)).status).toBe(402);
    expect((await as(20, "another-spoof, 192.0.2.1")).status).toBe(429);
    expect((await as(21, "192.0.2.1, 192.0.2.2")).status).toBe(402); // another client
  });
});

describe("a lock outlives nothing", () => {
  it("after an unknown outcome whose authorization expired unused, the wallet pays again without a restart", async () => {
    const reader = h.readers[7]!;
    const res = await h.article("in-praise-of-the-marginal-note");
    const silent = {
      ...h.facilitator,
      settle: async () => ({ kind: "unknown" as const, reason: "timeout" }),
    };
    const first = await request(res, sig(await h.pay(reader, await required(res))), { facilitator: silent });
    expect(first.status).toBe(502);
    // Time passes: the authorization expires without ever reaching the chain.
    const [stuck] = (await rowsOf(reader.address, res.key)).filter((r) => r.status === "settling");
    const payload = stuck!.payload as { authorization: Record<string, string> };
    await h.db.db
      .update(payments)
      .set({
        payload: { ...payload, authorization: { ...payload.authorization, validBefore: "1" } },
        updatedAt: new Date(Date.now() - 60_000),
      })
      .where(eq(payments.id, stuck!.id));
    const before = await h.balance(reader.address);
    const again = await request(res, sig(await h.pay(reader, await required(res))));
    expect(again.status).toBe(200);
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    const [old] = (await rowsOf(reader.address, res.key)).filter((r) => r.id === stuck!.id);
    expect(old?.status).toBe("failed");
  });

  it("a reservation abandoned by a crashed request is released by the next payment of that wallet", async () => {
    const reader = h.readers[8]!;
    const res = await h.article("plumbing-of-a-digital-dollar");
    const payer = reader.address.toLowerCase();
    await h.db.db.insert(payments).values({
      method: "authorization",
      network: h.ctx.chain.caip2,
      asset: h.chain.devnet.usdc.toLowerCase(),
      payer,
      payTo: h.chain.devnet.payTo.toLowerCase(),
      nonce: toHex(777n, { size: 32 }),
      amountAtomic: res.priceAtomic,
      resource: res.key,
      status: "reserved",
      lockKey: `${payer}|${res.key}`,
      updatedAt: new Date(Date.now() - 120_000),
    });
    const r = await request(res, sig(await h.pay(reader, await required(res))));
    expect(r.status).toBe(200);
  });

  it("per-request purchases by one payer wait for the one in flight: an agent's retries during an outage are not charged", async () => {
    const agent = h.readers[9]!;
    const res = await h.data("weather/harbor-tides.csv");
    const before = await h.balance(agent.address);
    const silent = {
      ...h.facilitator,
      settle: async () => ({ kind: "unknown" as const, reason: "timeout" }),
    };
    expect(
      (await request(res, sig(await h.pay(agent, await required(res))), { facilitator: silent })).status,
    ).toBe(502);
    // Three retries with fresh payments while the first is unresolved: none is sent.
    for (let i = 0; i < 3; i++) {
      const r = await request(res, sig(await h.pay(agent, await required(res))), { busyWaitMs: 300 });
      expect(r.status).toBe(409);
    }
    expect(await h.balance(agent.address)).toBe(before);
  });

  it("many payments waiting on one lock are capped: most answer at once, the pool is never pinned", async () => {
    const agent = h.readers[9]!;
    const res = await h.data("markets/stablecoin-supply.json");
    const pr = await required(res);
    const silent = {
      ...h.facilitator,
      settle: async () => ({ kind: "unknown" as const, reason: "timeout" }),
    };
    expect((await request(res, sig(await h.pay(agent, pr)), { facilitator: silent })).status).toBe(502);
    const headers = await Promise.all(Array.from({ length: 40 }, () => h.pay(agent, pr)));
    const started = Date.now();
    const answers = await Promise.all(
      headers.map(async (p) => {
        const r = await request(res, sig(p), { busyWaitMs: 3_000 });
        return { status: r.status, ms: Date.now() - started };
      }),
    );
    expect(answers.every((a) => a.status === 409)).toBe(true);
    // Only a few wait out the whole window (each wait polls the database); the rest are told at once.
    expect(answers.filter((a) => a.ms >= 3_000).length, JSON.stringify(answers)).toBeLessThanOrEqual(8);
  });
});

describe("gas griefing", () => {
  it("settlements that revert on chain count against that payer: 429 after 20", async () => {
    countLimitsExactly();
    const payer = h.readers[6]!;
    const res = await h.data("markets/stablecoin-supply.json");
    const pr = await required(res);
    const reverting = {
      ...h.facilitator,
      settle: async () => ({
        kind: "failed" as const,
        reason: "transaction_failed",
        transaction: toHex(crypto.getRandomValues(new Uint8Array(32))),
      }),
    };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await request(res, sig(await h.pay(payer, pr)), { facilitator: reverting })).status);
    expect(statuses.slice(0, 20).every((s) => s === 402)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});
