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
  TransactionNotFoundError,
  createPublicClient,
  encodeFunctionData,
  http,
  keccak256,
  toFunctionSelector,
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
const REBROADCAST_MS = 2_000;

const TRANSFER_WITH_AUTHORIZATION = new Set([
  toFunctionSelector(
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
  ),
  toFunctionSelector("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"),
]);

/** `from|nonce` of an EIP-3009 transferWithAuthorization call, lower-case; null for other calls. */
export function authorizationOf(data: Hex): string | null {
  if (!TRANSFER_WITH_AUTHORIZATION.has(data.slice(0, 10).toLowerCase() as Hex)) return null;
  const word = (i: number) => data.slice(10 + 64 * i, 10 + 64 * (i + 1)).toLowerCase();
  return `0x${word(0).slice(24)}|0x${word(5)}`;
}

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
  /** Whether this relayer sent a transaction carrying this authorization (`from`, `nonce`). */
  sentFor(authorization: { from: string; nonce: string }): Promise<boolean>;
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
  // Sends are never retried by the transport: a retry of an accepted send is answered "already
  // known" or "nonce too low", which only this module can read correctly (see broadcast()).
  const sendClient = createPublicClient({
    cacheTime: 0,
    transport: http(opts.rpcUrl, { timeout: 10_000, retryCount: 0 }),
  }) as PublicClient;
  /** Transactions sent and not yet seen mined, by hash: their raw bytes, for rebroadcasting. */
  const inFlight = new Map<Hex, { raw: Hex; broadcastAt: number }>();
  /** The transaction carrying each authorization we sent (`from|nonce`), so none gets a second one. */
  const byAuthorization = new Map<string, Hex>();
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

  /**
   * Broadcasts signed bytes whose hash we already know. Only an answer that proves the node
   * refused them counts as "not sent"; a timeout or a lost answer may have been accepted, and
   * "already known" or "nonce too low" for our own bytes means they were.
   */
  async function broadcast(
    raw: Hex,
    hash: Hex,
  ): Promise<"accepted" | "unfunded" | "nonce-taken" | "fee" | { rejected: unknown }> {
    try {
      await sendClient.sendRawTransaction({ serializedTransaction: raw });
      return "accepted";
    } catch (error) {
      const message = fullMessage(error);
      // Nothing reached a node that refused the connection; any other transport failure may
      // have been accepted: pending, with the hash known.
      if (isTransportError(error)) return /ECONNREFUSED/.test(message) ? { rejected: error } : "accepted";
      if (/already known|known transaction|already imported|already exists/i.test(message)) return "accepted";
      if (/insufficient funds/i.test(message)) return "unfunded";
      if (/nonce too low|nonce.*already.*used|replacement transaction|nonce/i.test(message)) {
        // Our own bytes mined or pending under this nonce: sent. Anything else holds the nonce.
        return (await knownToNode(hash)) ? "accepted" : "nonce-taken";
      }
      if (/underpriced|fee|base fee/i.test(message)) return "fee";
      return { rejected: error };
    }
  }

  async function knownToNode(hash: Hex): Promise<boolean> {
    try {
      await publicClient.getTransaction({ hash });
      return true;
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return false;
      return true; // cannot tell: never assume a send of ours is gone
    }
  }

  async function sendOnce(tx: {
    to: `0x${string}`;
    data: Hex;
    gas?: bigint;
  }): Promise<Hex | "nonce-taken" | "fee"> {
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
    // The hash is fixed by the signed bytes; knowing it before sending is what lets a lost
    // answer be settled from the chain instead of being guessed at.
    const hash = keccak256(raw);
    const outcome = await broadcast(raw, hash);
    if (outcome === "accepted") {
      nextNonce = nonce + 1;
      inFlight.set(hash, { raw, broadcastAt: Date.now() });
      return hash;
    }
    nextNonce = null;
    fees = null;
    if (outcome === "unfunded") {
      const call = currentCall.getStore();
      if (call) call.unfunded = true;
      throw new RelayerError("unfunded", "The relayer account has no gas money left.");
    }
    if (outcome === "nonce-taken" || outcome === "fee") return outcome;
    throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(outcome.rejected)}`);
  }

  async function sendSerially(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    const auth = authorizationOf(tx.data);
    const earlier = auth ? byAuthorization.get(auth) : undefined;
    if (earlier) return earlier; // one authorization, one transaction
    let sent: Hex | "nonce-taken" | "fee";
    try {
      sent = await sendOnce(tx);
      // Refused outright, nothing left on the node: our nonce or fee view was stale. Re-read, retry once.
      if (sent === "nonce-taken" || sent === "fee") sent = await sendOnce(tx);
    } catch (error) {
      if (error instanceof RelayerError) throw error;
      nextNonce = null;
      throw new RelayerError("rpc", `Could not send the settlement: ${shortMessage(error)}`);
    }
    if (sent === "nonce-taken" || sent === "fee")
      throw new RelayerError("rpc", "Could not send the settlement: the node refused its nonce or fee.");
    if (auth) {
      if (byAuthorization.size > 10_000) byAuthorization.clear();
      byAuthorization.set(auth, sent);
    }
    return sent;
  }

  function send(tx: { to: `0x${string}`; data: Hex; gas?: bigint }): Promise<Hex> {
    const call = currentCall.getStore();
    // Chain each send after the previous one so nonces go out in order, one at a time.
    const result = queue.then(() =>
      call ? currentCall.run(call, () => sendSerially(tx)) : sendSerially(tx),
    );
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
      if (receipt) {
        inFlight.delete(hash);
        return { status: receipt.status, logs: receipt.logs as readonly Log[] };
      }
      // A send whose answer was lost may never have reached the node, and a node may drop what
      // it accepted: offer the same bytes again now and then (same hash; harmless if known).
      const sent = inFlight.get(hash);
      if (sent && Date.now() - sent.broadcastAt > REBROADCAST_MS) {
        sent.broadcastAt = Date.now();
        if (!(await knownToNode(hash))) await broadcast(sent.raw, hash);
      }
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
    sentFor: async ({ from, nonce }) => byAuthorization.has(`${from.toLowerCase()}|${nonce.toLowerCase()}`),
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

function fullMessage(error: unknown): string {
  if (error instanceof BaseError) {
    const parts: string[] = [];
    error.walk((e) => {
      parts.push((e as Error).message);
      return false;
    });
    return parts.join(" ");
  }
  return error instanceof Error ? error.message : String(error);
}

function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "unknown error";
}
