// The relayer under faults, against a real anvil: the JSON-RPC proxy in front of the node holds,
// drops or answers calls on the way, and the reader's outcome (status, debit, row) is checked.
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import { createPublicClient, http, parseTransaction, toHex, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payments } from "../db/schema";
import { startRpcProxy, type RpcProxy } from "../devnet/rpc-proxy";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { createInProcessFacilitator, type Facilitator } from "./facilitator";
import { memoryRateLimitStore, setRateLimitStore } from "./rate-limit";
import type { Relayer } from "./relayer";
import { startHarness, type Harness } from "./testing";

let h: Harness;
let proxy: RpcProxy;
let node: PublicClient;

beforeAll(async () => {
  h = await startHarness();
  proxy = await startRpcProxy(h.chain.rpcUrl);
  node = createPublicClient({ cacheTime: 0, transport: http(h.chain.rpcUrl) }) as PublicClient;
});
afterAll(async () => {
  await proxy?.close();
  await h?.stop();
});

type Resource = Awaited<ReturnType<Harness["article"]>>;
const sig = (p: PaymentPayload) => ({ "payment-signature": encodePaymentSignatureHeader(p) });
const rpc = (method: string, params: unknown[]) =>
  node.request({ method: method as never, params: params as never });

async function required(res: Resource): Promise<PaymentRequired> {
  const r = await h.request(res);
  expect(r.status).toBe(402);
  return decodePaymentRequiredHeader(r.headers.get("payment-required")!);
}

/** A relayer on its own fresh key, funded with `wei`, whose every chain call goes through the proxy. */
async function freshFacilitator(wei: bigint = 10n ** 18n): Promise<Facilitator & { relayer: Relayer }> {
  const key = generatePrivateKey();
  await rpc("anvil_setBalance", [privateKeyToAccount(key).address, toHex(wei)]);
  return createInProcessFacilitator({
    rpcUrl: proxy.url,
    chainId: h.chain.devnet.chainId,
    network: `eip155:${h.chain.devnet.chainId}`,
    relayerPrivateKey: key,
  });
}

describe("each settlement's outcome is its own", () => {
  it("two settlements at once through a relayer whose gas money covers one: the one that lands answers 200 with a receipt, the other 503, one debit", async () => {
    setRateLimitStore(memoryRateLimitStore());
    const facilitator = await freshFacilitator();
    const res = await h.article("clocks-that-disagree");
    const pr = await required(res);
    const [a, b] = [h.readers[7]!, h.readers[8]!];
    const [pa, pb] = [await h.pay(a, pr), await h.pay(b, pr)];
    const before = { a: await h.balance(a.address), b: await h.balance(b.address) };
    let sends = 0;
    proxy.setHook(async (call) => {
      if (call.method === "eth_sendRawTransaction" && sends++ === 0) {
        // Leave the relayer exactly what this first transaction may cost: nothing for a second.
        const tx = parseTransaction(call.params[0] as Hex);
        await rpc("anvil_setBalance", [facilitator.relayer.address, toHex(tx.gas! * tx.maxFeePerGas!)]);
      }
      // Hold receipts so the first settlement is still waiting when the second send is refused.
      if (call.method === "eth_getTransactionReceipt") return { delayMs: 300 };
      return "forward";
    });
    try {
      const [ra, rb] = await Promise.all([
        h.request(res, { headers: sig(pa), ctx: { facilitator } }),
        h.request(res, { headers: sig(pb), ctx: { facilitator } }),
      ]);
      const byStatus = [ra, rb].sort((x, y) => x.status - y.status);
      expect(byStatus.map((r) => r.status)).toEqual([200, 503]);
      const [ok, refused] = byStatus as [Response, Response];
      expect(ok.headers.get("kiosk-receipt")).toBeTruthy();
      expect(decodePaymentResponseHeader(ok.headers.get("payment-response")!).success).toBe(true);
      expect((await refused.json()).error.code).toBe("relayer_unfunded");
      const debits = [
        before.a - (await h.balance(a.address)),
        before.b - (await h.balance(b.address)),
      ].sort();
      expect(debits).toEqual([0n, res.priceAtomic]);
    } finally {
      proxy.setHook(null);
    }
  });
});

const rowOf = async (payer: string, nonce: string) =>
  (
    await h.db.db
      .select()
      .from(payments)
      .where(and(eq(payments.payer, payer.toLowerCase()), eq(payments.nonce, nonce.toLowerCase())))
  )[0];

/** The payment's authorization (the official client's exact-EVM payload). */
const authorizationOf = (p: PaymentPayload) =>
  (p.payload as { authorization: { from: string; nonce: string } }).authorization;

describe("an answer lost below the facilitator is not a failure", () => {
  const faults = {
    "the send's answer is lost after the node took it": () => "drop" as const,
    'the send is answered "already known"': async (raw: Hex) => {
      await rpc("eth_sendRawTransaction", [raw]);
      return { error: { code: -32000, message: "already known" } };
    },
    'the send is answered "nonce too low" (the node mined it)': async (raw: Hex) => {
      await rpc("eth_sendRawTransaction", [raw]);
      return { error: { code: -32000, message: "nonce too low" } };
    },
  };
  let reader = 0;
  for (const [name, fault] of Object.entries(faults)) {
    it(`${name}: the reader gets the content, one debit, one transaction, the row settled`, async () => {
      const facilitator = await freshFacilitator();
      const res = await h.article("what-a-penny-costs-to-move");
      const payer = h.readers[reader++]!;
      const payload = await h.pay(payer, await required(res), { paymentIdentifier: true });
      const before = await h.balance(payer.address);
      let sends = 0;
      proxy.setHook((call) =>
        call.method === "eth_sendRawTransaction" && sends++ === 0 ? fault(call.params[0] as Hex) : "forward",
      );
      try {
        let r = await h.request(res, { headers: sig(payload), ctx: { facilitator } });
        // "Not known yet" is allowed once; the same payment's retry then ends it.
        if (r.status === 502) r = await h.request(res, { headers: sig(payload), ctx: { facilitator } });
        expect(r.status).toBe(200);
        expect(await r.text()).toContain(res.key);
      } finally {
        proxy.setHook(null);
      }
      expect(await h.balance(payer.address)).toBe(before - res.priceAtomic);
      expect(await node.getTransactionCount({ address: facilitator.relayer.address })).toBe(1);
      expect((await rowOf(payer.address, authorizationOf(payload).nonce))?.status).toBe("settled");
    });
  }

  it('"authorization already used" for a payment our relayer sent is settled from the chain, not refused', async () => {
    const facilitator = await freshFacilitator();
    const res = await h.article("reading-the-tide-tables");
    const pr = await required(res);
    const ours = await h.pay(h.readers[3]!, pr);
    expect((await h.request(res, { headers: sig(ours), ctx: { facilitator } })).status).toBe(200);
    // Asked again (a retry after an answer lost above the relayer): ours, so "unknown" → reconcile.
    expect((await facilitator.settle(ours, ours.accepted)).kind).toBe("unknown");
    // An authorization someone else used is still a plain refusal.
    const theirs = await h.pay(h.readers[4]!, pr);
    expect((await h.request(res, { headers: sig(theirs) })).status).toBe(200);
    expect(await facilitator.settle(theirs, theirs.accepted)).toMatchObject({ kind: "failed" });
  });
});
