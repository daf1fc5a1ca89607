// The in-process facilitator's signer: the one account that pays gas for settlements.
// The official `toFacilitatorEvmSigner` wraps a viem wallet client, which lets viem pick the
// nonce per call, so concurrent settlements collide (measured: ~21 of 40 settle). Here every
// transaction goes through one queue that assigns nonces in order, signs locally and sends raw,
// and the chain reads the exact-EVM scheme repeats per payment (bytecode of the token and of the
// payer) are cached briefly, so a payment costs ~4 RPC calls instead of ~12.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { FacilitatorEvmSigner } from "@x402/evm";
import {
  BaseError,
  HttpRequestError,
  TimeoutError,
  createPublicClient,
  encodeFunctionData,
  http,
  type Abi,
  type Hex,
  type Log,
  type PublicClient,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

export class RelayerError extends Error {
  constructor(
    readonly kind: "unfunded" | "rpc",
    message: string,
  ) {
    super(message);
  }
}

/** Enough for transferWithAuthorization with an EOA or a modest ERC-1271 wallet; unused gas is not paid. */
const DEFAULT_GAS = 250_000n;
const CODE_TTL_MS = 60_000;
const FEE_TTL_MS = 5_000;

/**
 * What the relayer saw during one facilitator call. The official scheme folds a failed chain read
 * into "invalid signature" and a send refused for lack of gas into a plain failure; this record,
 * kept per call (never per process), tells an outage from a bad payment for that call alone.
 */
export type RelayerCall = { readFailed: boolean; unfunded: boolean; sent: Hex[] };

const currentCall = new AsyncLocalStorage<RelayerCall>();

export type Relayer = FacilitatorEvmSigner & {
  address: `0x${string}`;
  /** Runs one facilitator call and returns, with its result, what the relayer saw during it. */
  track<T>(run: () => Promise<T>): Promise<{ value: T; call: RelayerCall }>;
  publicClient: PublicClient;
  /** Sends one call through the nonce queue; resolves with the hash once the node accepted it. */
  send(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex>;
};

export function createRelayer(opts: { rpcUrl: string; chainId: number; privateKey: Hex }): Relayer {
  const account: PrivateKeyAccount = privateKeyToAccount(opts.privateKey);
  const publicClient = createPublicClient({
    cacheTime: 0,
    transport: http(opts.rpcUrl, { timeout: 10_000, retryCount: 1 }),
  }) as PublicClient;

  const counted = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      const call = currentCall.getStore();
      if (call && isTransportError(error)) call.readFailed = true; // a revert is an answer, not an outage
      throw error;
    }
  };
  const codeCache = new Map<string, { code: Hex | undefined; at: number }>();
  let fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; at: number } | null = null;
  let nextNonce: number | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function currentFees() {
    if (fees && Date.now() - fees.at < FEE_TTL_MS) return fees;
    const block = await publicClient.getBlock({ blockTag: "latest" });
    const base = block.baseFeePerGas ?? 1_000_000_000n;
    const priority = 1_000_000n;
    // Twice the base fee rides out several full blocks of increases before a resend is needed.
    fees = { maxFeePerGas: base * 2n + priority, maxPriorityFeePerGas: priority, at: Date.now() };
    return fees;
  }

  async function sendOnce(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    if (nextNonce === null) {
      nextNonce = await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" });
    }
    const fee = await currentFees();
    const nonce = nextNonce;
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: opts.chainId,
      to: tx.to,
      data: tx.data,
      nonce,
      gas: tx.gas ?? DEFAULT_GAS,
      maxFeePerGas: fee.maxFeePerGas,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas,
    });
    const hash = await publicClient.sendRawTransaction({ serializedTransaction: raw });
    nextNonce = nonce + 1;
    return hash;
  }

  async function sendSerially(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    try {
      return await sendOnce(tx);
    } catch (error) {
      // Any failure may mean our nonce or fee view is stale; re-read both and try once more.
      nextNonce = null;
      fees = null;
      const message = error instanceof Error ? error.message : String(error);
      if (/insufficient funds/i.test(message)) {
        const call = currentCall.getStore();
        if (call) call.unfunded = true;
        throw new RelayerError("unfunded", "The relayer account has no gas money left.");
      }
      if (/nonce|fee|underpriced|base fee/i.test(message)) {
        try {
          return await sendOnce(tx);
        } catch (retryError) {
          nextNonce = null;
          throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(retryError)}`);
        }
      }
      throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(error)}`);
    }
  }

  function send(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    const call = currentCall.getStore();
    // Chain each send after the previous one so nonces go out in order, one at a time.
    const result = queue.then(() => (call ? currentCall.run(call, () => sendSerially(tx)) : sendSerially(tx)));
    queue = result.catch(() => undefined);
    return result.then((hash) => {
      call?.sent.push(hash);
      return hash;
    });
  }

  async function waitForTransactionReceipt({ hash, timeout = 60_000 }: { hash: Hex; timeout?: number }) {
    const deadline = Date.now() + timeout;
    let delay = 10;
    for (;;) {
      const receipt = await publicClient.getTransactionReceipt({ hash }).catch(() => null);
      if (receipt) return { status: receipt.status, logs: receipt.logs as readonly Log[] };
      if (Date.now() + delay > deadline) throw new Error(`no receipt for ${hash} after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1_000);
    }
  }

  return {
    address: account.address,
    publicClient,
    send,
    getAddresses: () => [account.address],
    async track(run) {
      const call: RelayerCall = { readFailed: false, unfunded: false, sent: [] };
      const value = await currentCall.run(call, run);
      return { value, call };
    },
    readContract: (args) =>
      counted(() =>
        publicClient.readContract({
          address: args.address,
          abi: args.abi as Abi,
          functionName: args.functionName,
          args: args.args as unknown[] | undefined,
        }),
      ),
    verifyTypedData: (args) =>
      publicClient.verifyTypedData({
        address: args.address,
        domain: args.domain as never,
        types: args.types as never,
        primaryType: args.primaryType as never,
        message: args.message as never,
        signature: args.signature,
      }),
    writeContract: (args) =>
      send({
        to: args.address,
        data: (encodeFunctionData({
          abi: args.abi as Abi,
          functionName: args.functionName,
          args: args.args as unknown[],
        }) + (args.dataSuffix ? args.dataSuffix.slice(2) : "")) as Hex,
        gas: args.gas,
      }),
    sendTransaction: (args) => send({ to: args.to, data: args.data }),
    waitForTransactionReceipt,
    getCode: async ({ address }) => {
      const key = address.toLowerCase();
      const hit = codeCache.get(key);
      if (hit && Date.now() - hit.at < CODE_TTL_MS) return hit.code;
      const code = await counted(() => publicClient.getCode({ address }));
      if (codeCache.size > 10_000) codeCache.clear();
      codeCache.set(key, { code, at: Date.now() });
      return code;
    },
  };
}

function isTransportError(error: unknown): boolean {
  if (!(error instanceof BaseError)) return true;
  return Boolean(error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError));
}

function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "unknown error";
}
