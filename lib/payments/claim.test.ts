// The plain-transfer path on a real anvil: a reader sends USDC with an ordinary `transfer`, signs a
// claim, and the server checks the transaction on chain before granting access.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWalletClient, encodeFunctionData, http, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { testUsdcArtifact } from "../../contracts/artifacts";
import type { PricedResource } from "../content/catalog";
import type { Db } from "../db/client";
import { entitlements } from "../db/schema";
import { handleTransferClaim } from "./claim";
import { startHarness, usdcAbi, type Harness } from "./testing";
import { claimMessage } from "./transfer";

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

async function claim(
  h: Harness,
  resource: PricedResource,
  txHash: Hex,
  signer: PrivateKeyAccount,
  minConfirmations = 1,
) {
  const signature = await signer.signMessage({
    message: claimMessage({ resource: resource.key, txHash, chainId: h.ctx.chain.chainId }),
  });
  return handleTransferClaim(
    { resource: resource.apiPath, txHash, signature },
    resource,
    async () => ({ contentType: "application/json", body: JSON.stringify({ ok: resource.key }) }),
    { ...h.ctx, minConfirmations },
  );
}

describe("claiming a plain USDC transfer", () => {
  it("a transfer of the price to the publisher unlocks, with the receipt cookie", async () => {
    const reader = h.readers[0]!;
    const res = await h.article("the-long-wait-for-402");
    const hash = await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic);
    const r = await claim(h, res, hash, reader);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/kiosk_receipt=.+HttpOnly/);
    const token = r.headers.get("kiosk-receipt")!;
    expect((await h.request(res, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("refuses a hash claimed twice, and a hash claimed by someone who did not send it", async () => {
    const reader = h.readers[1]!;
    const res = await h.article("what-a-penny-costs-to-move");
    const hash = await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic);
    const thief = await claim(h, res, hash, h.readers[2]!);
    expect(thief.status).toBe(402);
    expect(await thief.json()).toMatchObject({ status: "refused", reason: "not-sender" });
    const mine = await claim(h, res, hash, reader);
    expect(mine.status, await mine.clone().text()).toBe(200);
    // Reusing the hash for another article is refused; the sender re-claiming the same one is not charged.
    const other = await claim(h, await h.article("clocks-that-disagree"), hash, reader);
    expect(other.status).toBe(409);
    expect((await claim(h, res, hash, reader)).status).toBe(200);
  });

  it("two racing claims of one hash: exactly one wins", async () => {
    const reader = h.readers[3]!;
    const a = await h.article("in-praise-of-the-marginal-note");
    const b = await h.article("reading-the-tide-tables");
    const hash = await transfer(h, reader, h.chain.devnet.payTo, 50_000n);
    const statuses = (await Promise.all([claim(h, a, hash, reader), claim(h, b, hash, reader)]))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 409]);
  });

  it("refuses underpayment, the wrong recipient, the wrong token and a reverted transfer, each with its reason", async () => {
    const reader = h.readers[4]!;
    const res = await h.article("plumbing-of-a-digital-dollar");
    const expectRefusal = async (hash: Hex, reason: string) => {
      const r = await claim(h, res, hash, reader);
      expect(r.status).toBe(402);
      expect(await r.json()).toMatchObject({ status: "refused", reason });
    };
    await expectRefusal(await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic - 1n), "underpaid");
    await expectRefusal(await transfer(h, reader, h.readers[5]!.address, res.priceAtomic), "wrong-recipient");
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
    await expectRefusal(
      await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic, { token: fake }),
      "wrong-token",
    );
    await expectRefusal(await transfer(h, h.unfunded, h.chain.devnet.payTo, res.priceAtomic), "reverted");
  });

  it("an unknown hash answers 402 not-found with Retry-After", async () => {
    const r = await claim(
      h,
      await h.article("the-long-wait-for-402"),
      ("0x" + "ab".repeat(32)) as Hex,
      h.readers[0]!,
    );
    expect(r.status).toBe(402);
    expect(r.headers.get("retry-after")).toBeTruthy();
    expect(await r.json()).toMatchObject({ status: "not-found" });
  });
});

describe("a write that fails after the chain checks", () => {
  it("leaves nothing behind: the same hash can be claimed again and unlocks", async () => {
    const reader = h.readers[7]!;
    const res = await h.article("clocks-that-disagree");
    const hash = await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic);
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
    const signature = await reader.signMessage({
      message: claimMessage({ resource: res.key, txHash: hash, chainId: h.ctx.chain.chainId }),
    });
    const body = { resource: res.apiPath, txHash: hash, signature };
    const produce = async () => ({ contentType: "text/plain", body: "content" });
    await expect(
      handleTransferClaim(body, res, produce, { ...h.ctx, db: flaky(h.ctx.db), minConfirmations: 1 }),
    ).rejects.toThrow(/connection lost/);
    const again = await handleTransferClaim(body, res, produce, { ...h.ctx, minConfirmations: 1 });
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
    const hash = await transfer(slow, reader, slow.chain.devnet.payTo, res.priceAtomic);
    await slow.client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    const first = await claim(slow, res, hash, reader, 3);
    expect(first.status).toBe(402);
    expect(first.headers.get("retry-after")).toBeTruthy();
    const body = await first.json();
    expect(body).toMatchObject({ status: "pending", required: 3 });
    expect(body.confirmations).toBeLessThan(3);
    const deadline = Date.now() + 15_000;
    let last = first;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      last = await claim(slow, res, hash, reader, 3);
      if (last.status !== 402) break;
    }
    expect(last.status).toBe(200);
  });
});

describe("a chain that cannot be read", () => {
  it("answers 503 with Retry-After, records nothing, and the claim works once the chain is back", async () => {
    const { createPublicClient, http: viemHttp } = await import("viem");
    const reader = h.readers[6]!;
    const res = await h.article("reading-the-tide-tables");
    const hash = await transfer(h, reader, h.chain.devnet.payTo, res.priceAtomic);
    const signature = await reader.signMessage({
      message: claimMessage({ resource: res.key, txHash: hash, chainId: h.ctx.chain.chainId }),
    });
    const dead = createPublicClient({
      transport: viemHttp("http://127.0.0.1:9", { retryCount: 0, timeout: 2_000 }),
    });
    const produce = async () => ({ contentType: "text/plain", body: "content" });
    const down = await handleTransferClaim({ resource: res.apiPath, txHash: hash, signature }, res, produce, {
      ...h.ctx,
      chainClient: dead as never,
      minConfirmations: 1,
    });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeTruthy();
    expect((await down.json()).error.code).toBe("chain_unavailable");
    const back = await handleTransferClaim({ resource: res.apiPath, txHash: hash, signature }, res, produce, {
      ...h.ctx,
      minConfirmations: 1,
    });
    expect(back.status).toBe(200);
  });
});
