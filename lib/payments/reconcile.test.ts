// Reconciliation against a real anvil: a used nonce is not a payment unless the same transaction
// carries our AuthorizationUsed and our Transfer; the log search reaches back to the row's
// creation through an RPC that caps eth_getLogs ranges; one bad row does not stop the sweep.
import { encodePaymentSignatureHeader } from "@x402/core/http";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import { createPublicClient, createWalletClient, http, type Hex, type PublicClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUsdcArtifact } from "../../contracts/artifacts";
import type { PricedResource } from "../content/catalog";
import { entitlements, payments } from "../db/schema";
import { startRpcProxy, type RpcProxy } from "../devnet/rpc-proxy";
import type { PaymentPayload } from "../x402/types";
import { transferWithAuthorizationTypes } from "../x402/eip3009";
import { handlePaidRequest } from "./paid-request";
import { reconcilePayment, reconcileUnfinished } from "./reconcile";
import { startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Auth = { from: Hex; to: Hex; value: string; validAfter: string; validBefore: string; nonce: Hex };
const authOf = (p: PaymentPayload) => (p.payload as { authorization: Auth }).authorization;

async function signedPayment(h: Harness, reader: PrivateKeyAccount, res: PricedResource) {
  const r = await h.request(res);
  return h.pay(reader, decodePaymentRequiredHeader(r.headers.get("payment-required")!));
}

/** The paid request whose settle answer never comes back and that never reached the chain. */
async function leaveUnknown(h: Harness, res: PricedResource, payload: PaymentPayload) {
  const silent = { ...h.facilitator, settle: async () => ({ kind: "unknown" as const, reason: "timeout" }) };
  const r = await handlePaidRequest(
    new Request("http://kiosk.test" + res.apiPath, {
      headers: { "payment-signature": encodePaymentSignatureHeader(payload) },
    }),
    res,
    async () => ({ body: "content", contentType: "text/plain" }),
    { ...h.ctx, facilitator: silent },
  );
  expect(r.status).toBe(502);
  return rowOf(h, authOf(payload));
}

async function rowOf(h: Harness, auth: Auth) {
  const [row] = await h.db.db
    .select()
    .from(payments)
    .where(and(eq(payments.payer, auth.from.toLowerCase()), eq(payments.nonce, auth.nonce.toLowerCase())));
  if (!row) throw new Error("no payment row");
  return row;
}

async function entitlementCount(h: Harness, payer: string, resource: string) {
  return (
    await h.db.db
      .select()
      .from(entitlements)
      .where(and(eq(entitlements.payer, payer.toLowerCase()), eq(entitlements.resource, resource)))
  ).length;
}

async function send(h: Harness, from: PrivateKeyAccount, functionName: string, args: unknown[]) {
  const wallet = createWalletClient({ account: from, transport: http(h.chain.rpcUrl) });
  const hash = await wallet.writeContract({
    chain: null,
    address: h.chain.devnet.usdc as Hex,
    abi: testUsdcArtifact.abi,
    functionName: functionName as never,
    args: args as never,
  });
  const receipt = await h.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  expect(receipt.status).toBe("success");
  return hash;
}

const usdcDomain = (h: Harness) => ({
  name: h.ctx.chain.usdcName,
  version: h.ctx.chain.usdcVersion,
  chainId: h.ctx.chain.chainId,
  verifyingContract: h.ctx.chain.usdc,
});

describe("a used nonce is not a payment", () => {
  it("a payer who cancels the authorization during an unknown outcome gets nothing", async () => {
    const reader = h.readers[0]!;
    const res = await h.article("the-long-wait-for-402");
    const payload = await signedPayment(h, reader, res);
    const row = await leaveUnknown(h, res, payload);
    expect(row.status).toBe("settling");
    const before = await h.balance(reader.address);
    const { nonce } = authOf(payload);
    // The payer mines cancelAuthorization before our relayer's transaction lands.
    const cancel = await reader.signTypedData({
      domain: usdcDomain(h),
      types: {
        CancelAuthorization: [
          { name: "authorizer", type: "address" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "CancelAuthorization",
      message: { authorizer: reader.address, nonce },
    });
    await send(h, reader, "cancelAuthorization", [reader.address, nonce, cancel]);

    const outcome = await reconcilePayment(h.db.db, h.client, row);
    expect(outcome).toEqual({ kind: "not-settled", final: true });
    const after = await rowOf(h, authOf(payload));
    expect(after.status).toBe("failed");
    expect(after.errorReason).toMatch(/canceled/);
    expect(after.lockKey).toBeNull();
    expect(await entitlementCount(h, reader.address, res.key)).toBe(0);
    expect(await h.balance(reader.address)).toBe(before);
  });

  it("a nonce spent by another authorization (paying someone else) grants nothing", async () => {
    const reader = h.readers[1]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const payload = await signedPayment(h, reader, res);
    const row = await leaveUnknown(h, res, payload);
    const auth = authOf(payload);
    // Same nonce, one atomic unit to the payer's own second address: the nonce is used, we are not paid.
    const other = {
      from: reader.address,
      to: h.readers[2]!.address,
      value: 1n,
      validAfter: 0n,
      validBefore: BigInt(auth.validBefore),
      nonce: auth.nonce,
    };
    const signature = await reader.signTypedData({
      domain: usdcDomain(h),
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message: other,
    });
    await send(h, reader, "transferWithAuthorization", [
      other.from,
      other.to,
      other.value,
      other.validAfter,
      other.validBefore,
      other.nonce,
      signature,
    ]);
    expect(await reconcilePayment(h.db.db, h.client, row)).toEqual({ kind: "not-settled", final: true });
    expect((await rowOf(h, auth)).status).toBe("failed");
    expect(await entitlementCount(h, reader.address, res.key)).toBe(0);
  });
});

describe("the start-up sweep", () => {
  it("one row that throws does not stop the others", async () => {
    const pay = async (reader: PrivateKeyAccount, slug: string) => {
      const res = await h.article(slug);
      const payload = await signedPayment(h, reader, res);
      const r = await h.request(res, {
        headers: { "payment-signature": encodePaymentSignatureHeader(payload) },
      });
      expect(r.status).toBe(200);
      const row = await rowOf(h, authOf(payload));
      // As if the process died after broadcasting: no hash recorded, no entitlement yet.
      await h.db.db
        .update(payments)
        .set({ status: "settling", txHash: null, updatedAt: new Date(Date.now() - 120_000) })
        .where(eq(payments.id, row.id));
      await h.db.db.delete(entitlements).where(eq(entitlements.paymentId, row.id));
      return { row, res, txHash: row.txHash! };
    };
    const poisoned = await pay(h.readers[3]!, "clocks-that-disagree");
    const healthy = await pay(h.readers[4]!, "clocks-that-disagree");
    // The poisoned row's settlement hash is already held by another row (a transfer claim made
    // while the hash was unknown), so recording it violates payments_tx_hash_key and throws.
    await h.db.db.insert(payments).values({
      method: "transfer",
      network: h.ctx.chain.caip2,
      asset: h.ctx.chain.usdc.toLowerCase(),
      payer: poisoned.row.payer,
      payTo: poisoned.row.payTo,
      txHash: poisoned.txHash,
      amountAtomic: poisoned.row.amountAtomic,
      resource: "article:reading-the-tide-tables",
      status: "settled",
    });

    const outcome = await reconcileUnfinished(h.db.db, h.client);
    expect(outcome.errors).toBe(1);
    expect(outcome.settled).toBeGreaterThanOrEqual(1);
    const [row] = await h.db.db.select().from(payments).where(eq(payments.id, healthy.row.id));
    expect(row?.status).toBe("settled");
    expect(row?.txHash).toBe(healthy.txHash);
    expect(await entitlementCount(h, healthy.row.payer, healthy.res.key)).toBe(1);
  });
});

describe("an old settlement behind an RPC that caps eth_getLogs", () => {
  let old: Harness;
  let proxy: RpcProxy;
  beforeAll(async () => {
    old = await startHarness();
    proxy = await startRpcProxy(old.chain.rpcUrl);
  });
  afterAll(async () => {
    await proxy?.close();
    await old?.stop();
  });

  it("is found from the row's creation onwards and always records its hash", async () => {
    const reader = old.readers[0]!;
    const res = await old.article("the-long-wait-for-402");
    const payload = await signedPayment(old, reader, res);
    const r = await old.request(res, {
      headers: { "payment-signature": encodePaymentSignatureHeader(payload) },
    });
    expect(r.status).toBe(200);
    const settledRow = await rowOf(old, authOf(payload));
    await old.db.db
      .update(payments)
      .set({ status: "settling", txHash: null })
      .where(eq(payments.id, settledRow.id));
    await old.db.db.delete(entitlements).where(eq(entitlements.paymentId, settledRow.id));
    // Blocks later, read through an RPC that refuses eth_getLogs over 100 blocks or more (hosted
    // RPCs cap ranges at 500–10,000; a small cap keeps anvil's mining quick).
    await old.client.request({ method: "anvil_mine" as never, params: ["0x96"] as never });
    let refused = 0;
    proxy.setHook((call) => {
      if (call.method !== "eth_getLogs") return "forward";
      const [filter] = call.params as [{ fromBlock: string; toBlock: string }];
      if (BigInt(filter.toBlock) - BigInt(filter.fromBlock) >= 100n) {
        refused++;
        return { error: { code: -32005, message: "query exceeds max block range 100" } };
      }
      return "forward";
    });
    const capped = createPublicClient({
      cacheTime: 0,
      transport: http(proxy.url, { retryCount: 0 }),
    }) as PublicClient;
    const outcome = await reconcilePayment(old.db.db, capped, (await rowOf(old, authOf(payload)))!);
    expect(outcome).toEqual({ kind: "settled", txHash: settledRow.txHash });
    expect(refused).toBeGreaterThan(0);
    const after = await rowOf(old, authOf(payload));
    expect(after.status).toBe("settled");
    expect(after.txHash).toBe(settledRow.txHash);
    expect(await entitlementCount(old, reader.address, res.key)).toBe(1);
  });
});
