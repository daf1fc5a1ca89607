// The relayer under faults, against a real anvil: the JSON-RPC proxy in front of the node holds,
// drops or answers calls on the way, and the reader's outcome (status, debit, row) is checked.
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  parseTransaction,
  serializeErc6492Signature,
  toHex,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { testGasGatedWalletArtifact, testGasGatedWalletFactoryArtifact } from "../../contracts/artifacts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payments, relayerNonces, relayerTransactions } from "../db/schema";
import { startRpcProxy, type RpcProxy } from "../devnet/rpc-proxy";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { createInProcessFacilitator, type Facilitator } from "./facilitator";
import { countLimitsExactly } from "@/test/rate-limits";
import type { Relayer } from "./relayer";
import { officialClient, startHarness, usdcAbi, type Harness } from "./testing";

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

/** A relayer on its own fresh key, funded with 1 ETH, whose every chain call goes through the proxy. */
async function freshFacilitator(
  opts: {
    key?: Hex;
    maxFeeGwei?: number;
    receiptTimeoutMs?: number;
    walletFactories?: `0x${string}`[];
  } = {},
): Promise<Facilitator & { relayer: Relayer }> {
  const key = opts.key ?? generatePrivateKey();
  await rpc("anvil_setBalance", [privateKeyToAccount(key).address, toHex(10n ** 18n)]);
  return createInProcessFacilitator({
    rpcUrl: proxy.url,
    chainId: h.chain.devnet.chainId,
    network: `eip155:${h.chain.devnet.chainId}`,
    relayerPrivateKey: key,
    db: h.db.db,
    maxFeeGwei: opts.maxFeeGwei,
    receiptTimeoutMs: opts.receiptTimeoutMs,
    walletFactories: opts.walletFactories,
  });
}

describe("each settlement's outcome is its own", () => {
  it("two settlements at once through a relayer whose gas money covers one: the one that lands answers 200 with a receipt, the other 503, one debit", async () => {
    countLimitsExactly();
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

/** Resolves with the hash of the next transaction the relayer sends (the proxy sees its bytes). */
/**
 * Resolves once the node has answered the next raw transaction (so it is in the node's pool):
 * a test that mines or moves the base fee next cannot overtake the transaction on its way.
 */
function nextSend(): Promise<Hex> {
  return new Promise((resolve) => {
    proxy.setHook((call) => {
      if (call.method !== "eth_sendRawTransaction") return "forward";
      proxy.setHook(null);
      return { afterForward: () => resolve(keccak256(call.params[0] as Hex)) };
    });
  });
}

const relayerRows = (relayer: string) =>
  h.db.db.select().from(relayerTransactions).where(eq(relayerTransactions.relayer, relayer.toLowerCase()));

describe("a stuck transaction does not stop the shop", () => {
  it("two relayer instances on one key and one database: concurrent payments all settle, no transaction replaced or collided", async () => {
    const key = generatePrivateKey();
    const [one, two] = [await freshFacilitator({ key }), await freshFacilitator({ key })];
    const res = await h.data("markets/stablecoin-supply.json");
    const pr = await required(res);
    const payers = h.readers.slice(0, 10);
    const payloads = await Promise.all(payers.map((p) => h.pay(p, pr)));
    const publisherBefore = await h.balance(h.chain.devnet.payTo);
    const answers = await Promise.all(
      payloads.map((p, i) => h.request(res, { headers: sig(p), ctx: { facilitator: i % 2 ? one : two } })),
    );
    expect(answers.map((a) => a.status)).toEqual(payloads.map(() => 200));
    expect(await h.balance(h.chain.devnet.payTo)).toBe(publisherBefore + 10n * res.priceAtomic);
    expect(await node.getTransactionCount({ address: one.relayer.address })).toBe(10);
    const rows = await relayerRows(one.relayer.address);
    expect(rows.map((r) => r.nonce).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.every((r) => r.hashes.length === 1 && r.status === "mined")).toBe(true);
  });

  it("a transaction the node dropped is sent again: it and the payment queued behind it settle", async () => {
    const facilitator = await freshFacilitator();
    const res = await h.article("the-long-wait-for-402");
    const pr = await required(res);
    const [a, b] = [h.readers[5]!, h.readers[6]!];
    const before = { a: await h.balance(a.address), b: await h.balance(b.address) };
    await rpc("evm_setAutomine", [false]);
    try {
      const sent = nextSend();
      const first = h.request(res, { headers: sig(await h.pay(a, pr)), ctx: { facilitator } });
      await rpc("anvil_dropTransaction", [await sent]);
      await rpc("evm_setAutomine", [true]);
      const second = h.request(res, { headers: sig(await h.pay(b, pr)), ctx: { facilitator } });
      const started = Date.now();
      expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
    expect(await h.balance(a.address)).toBe(before.a - res.priceAtomic);
    expect(await h.balance(b.address)).toBe(before.b - res.priceAtomic);
    expect(await node.getTransactionCount({ address: facilitator.relayer.address })).toBe(2);
  });

  it("a transaction priced under a base-fee spike is replaced (same nonce, same calldata, higher fee) and settles", async () => {
    const facilitator = await freshFacilitator({ maxFeeGwei: 1_000 });
    const res = await h.article("clocks-that-disagree");
    const payer = h.readers[9]!;
    const payload = await h.pay(payer, await required(res));
    const before = await h.balance(payer.address);
    await rpc("evm_setAutomine", [false]);
    let answer: Response;
    const base = (await node.getBlock()).baseFeePerGas!;
    try {
      const sent = nextSend();
      const pending = h.request(res, { headers: sig(payload), ctx: { facilitator } });
      await sent;
      await rpc("anvil_setNextBlockBaseFeePerGas", [toHex(base * 10n)]);
      await rpc("evm_mine", []); // a block our transaction cannot pay for
      await rpc("evm_setAutomine", [true]);
      answer = await pending;
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
    expect(answer.status).toBe(200);
    expect(await h.balance(payer.address)).toBe(before - res.priceAtomic);
    const [row] = await relayerRows(facilitator.relayer.address);
    expect(row!.hashes).toHaveLength(2);
    expect(row!.minedHash).toBe(row!.hashes[1]);
    const mined = await node.getTransaction({ hash: row!.hashes[1] as Hex });
    expect(mined.nonce).toBe(0);
    expect(mined.input).toBe(row!.data);
    expect(mined.maxFeePerGas).toBeGreaterThan(base * 10n);
    // The settlement is recorded under the hash that was mined.
    expect((await rowOf(payer.address, authorizationOf(payload).nonce))?.txHash).toBe(row!.hashes[1]);
  });

  it("while the fee a stuck transaction needs is over the ceiling, a new payment gets a fast 503 and is not charged", async () => {
    const base = (await node.getBlock()).baseFeePerGas!;
    // Room for today's fee, not for a tenfold spike.
    const facilitator = await freshFacilitator({
      maxFeeGwei: Number(base * 3n) / 1e9,
      receiptTimeoutMs: 4_000,
    });
    const res = await h.article("reading-the-tide-tables");
    const pr = await required(res);
    const [a, b] = [h.readers[7]!, h.readers[8]!];
    const beforeB = await h.balance(b.address);
    await rpc("evm_setAutomine", [false]);
    try {
      const sent = nextSend();
      const stuck = h.request(res, { headers: sig(await h.pay(a, pr)), ctx: { facilitator } });
      await sent;
      await rpc("anvil_setNextBlockBaseFeePerGas", [toHex(base * 10n)]);
      await rpc("evm_mine", []);
      await rpc("evm_setAutomine", [true]);
      expect((await stuck).status).toBe(502); // sent; its outcome is not known yet
      const started = Date.now();
      const refused = await h.request(res, { headers: sig(await h.pay(b, pr)), ctx: { facilitator } });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(refused.status).toBe(503);
      const body = await refused.json();
      expect(body.error.code).toBe("relayer_paused");
      expect(body.error.message).toMatch(/nothing was charged/);
      expect(await h.balance(b.address)).toBe(beforeB);
      const status = await facilitator.relayer.relayerStatus();
      expect(status).toMatchObject({ paused: true, pending: 1 });
      expect(status.oldestPendingMs).toBeGreaterThan(0);
      expect(status.balanceWei).toBeGreaterThan(0n);
    } finally {
      await rpc("evm_setAutomine", [true]);
      // Let the base fee fall back so the stuck transaction (and later tests) can be mined.
      await rpc("anvil_setNextBlockBaseFeePerGas", [toHex(base)]);
      await rpc("evm_mine", []);
    }
  });
});

describe("gas griefing", () => {
  it("a wallet whose signature holds only at the node's call gas cap is refused by the simulation: nothing is sent, the relayer pays nothing", async () => {
    const facilitator = await freshFacilitator();
    const owner = h.readers[0]!;
    const wallet = createWalletClient({ account: owner, chain: foundry, transport: http(h.chain.rpcUrl) });
    const deployed = await node.waitForTransactionReceipt({
      hash: await wallet.deployContract({
        abi: testGasGatedWalletArtifact.abi,
        bytecode: testGasGatedWalletArtifact.bytecode,
        args: [owner.address],
      }),
    });
    const walletAddress = deployed.contractAddress!;
    await node.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: h.chain.devnet.usdc as `0x${string}`,
        abi: usdcAbi,
        functionName: "transfer",
        args: [walletAddress, 1_000_000n],
      }),
    });
    const res = await h.data("markets/stablecoin-supply.json");
    // The contract wallet pays from its own address and signs with its owner's key.
    const payer = { ...owner, address: walletAddress } as PrivateKeyAccount;
    const payload = await officialClient(payer, h.ctx.chain).createPaymentPayload(await required(res));
    const before = await h.balance(walletAddress);
    const r = await h.request(res, { headers: sig(payload), ctx: { facilitator } });
    expect(r.status).toBe(402);
    expect(await h.balance(walletAddress)).toBe(before);
    expect(await node.getTransactionCount({ address: facilitator.relayer.address })).toBe(0);
  });

  it("the same wallet not deployed yet (ERC-6492, an allowed factory) is refused too: no deployment, no transfer, the relayer pays nothing", async () => {
    const owner = h.readers[1]!;
    const wallet = createWalletClient({ account: owner, chain: foundry, transport: http(h.chain.rpcUrl) });
    const factory = (
      await node.waitForTransactionReceipt({
        hash: await wallet.deployContract({
          abi: testGasGatedWalletFactoryArtifact.abi,
          bytecode: testGasGatedWalletFactoryArtifact.bytecode,
        }),
      })
    ).contractAddress!;
    const facilitator = await freshFacilitator({ walletFactories: [factory] });
    const salt = toHex(1, { size: 32 });
    const walletAddress = (await node.readContract({
      address: factory,
      abi: testGasGatedWalletFactoryArtifact.abi,
      functionName: "getAddress",
      args: [owner.address, salt],
    })) as `0x${string}`;
    await node.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: h.chain.devnet.usdc as `0x${string}`,
        abi: usdcAbi,
        functionName: "transfer",
        args: [walletAddress, 1_000_000n],
      }),
    });
    const factoryCalldata = encodeFunctionData({
      abi: testGasGatedWalletFactoryArtifact.abi,
      functionName: "createAccount",
      args: [owner.address, salt],
    });
    const res = await h.data("markets/stablecoin-supply.json");
    const payer = {
      address: walletAddress,
      signTypedData: async (m: Parameters<PrivateKeyAccount["signTypedData"]>[0]) =>
        serializeErc6492Signature({
          address: factory,
          data: factoryCalldata,
          signature: await owner.signTypedData(m),
        }),
    };
    const payload = await officialClient(payer as never, h.ctx.chain).createPaymentPayload(
      await required(res),
    );
    const before = await h.balance(walletAddress);
    const r = await h.request(res, { headers: sig(payload), ctx: { facilitator } });
    expect(r.status).toBe(402);
    expect(await h.balance(walletAddress)).toBe(before);
    expect(await node.getCode({ address: walletAddress })).toBeUndefined();
    expect(await node.getTransactionCount({ address: facilitator.relayer.address })).toBe(0);
  });
});

// Last in the file: the fee tests above depend on the chain's base fee, which every mined block moves.
describe("one key's nonce counter across instances and chain resets", () => {
  it("a second instance's first send never reuses a nonce another instance handed out after its chain read", async () => {
    const key = generatePrivateKey();
    const one = await freshFacilitator({ key });
    const res = await h.data("markets/stablecoin-supply.json");
    const pr = await required(res);
    for (const payer of h.readers.slice(0, 2))
      expect(
        (await h.request(res, { headers: sig(await h.pay(payer, pr)), ctx: { facilitator: one } })).status,
      ).toBe(200);
    // The new instance's first count is read before the other instance's last nonce was handed
    // out (here: answered stale), and only then takes the lock.
    const address = privateKeyToAccount(key).address.toLowerCase();
    let stale = true;
    proxy.setHook((call) => {
      const [who, tag] = call.params as [string, string];
      if (
        stale &&
        call.method === "eth_getTransactionCount" &&
        who.toLowerCase() === address &&
        tag === "pending"
      ) {
        stale = false;
        return { reply: "0x1" };
      }
      return "forward";
    });
    try {
      const two = await freshFacilitator({ key });
      const r = await h.request(res, {
        headers: sig(await h.pay(h.readers[2]!, pr)),
        ctx: { facilitator: two },
      });
      expect(r.status).toBe(200);
    } finally {
      proxy.setHook(null);
    }
    const rows = await relayerRows(address as Hex);
    expect(rows.map((r) => r.nonce).sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect(rows.every((r) => r.hashes.length === 1 && r.status === "mined")).toBe(true);
  });

  it("after a chain reset (count behind the database, nothing pending) the counter rewinds", async () => {
    const key = generatePrivateKey();
    const one = await freshFacilitator({ key });
    const res = await h.data("markets/stablecoin-supply.json");
    const pr = await required(res);
    expect(
      (await h.request(res, { headers: sig(await h.pay(h.readers[3]!, pr)), ctx: { facilitator: one } }))
        .status,
    ).toBe(200);
    // As if the chain were restarted without its state while the database kept its counter.
    const address = privateKeyToAccount(key).address.toLowerCase();
    await h.db.db.update(relayerNonces).set({ nextNonce: 7 }).where(eq(relayerNonces.relayer, address));
    const two = await freshFacilitator({ key });
    const r = await h.request(res, {
      headers: sig(await h.pay(h.readers[4]!, pr)),
      ctx: { facilitator: two },
    });
    expect(r.status).toBe(200);
    expect(await node.getTransactionCount({ address: address as Hex })).toBe(2);
  });
});
