// The chain is the source of truth for a settlement whose answer was lost (timeout, crash,
// restart). A used EIP-3009 nonce alone proves nothing: `cancelAuthorization` marks it used too,
// and the payer can mine a cancel while our answer is unknown. So a payment counts as settled
// only when one transaction of the token carries both its AuthorizationUsed(payer, nonce) log
// and the Transfer(payer → payTo, amount) it authorised. Used on a retry of the same payment,
// right after an "unknown" settle, and by the start-up sweep.
import "server-only";
import {
  decodeEventLog,
  encodeEventTopics,
  erc20Abi,
  parseAbi,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { Db } from "../db/client";
import {
  leaseUnfinishedSettlements,
  markFailed,
  recordSettlement,
  releaseAbandonedReservations,
  type PaymentRow,
} from "./store";

const eip3009Abi = parseAbi([
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
  "event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce)",
]);

/** First page of the forward log search; shrunk when an RPC refuses the range, never below the minimum. */
const LOG_PAGE_BLOCKS = 5_000n;
const MIN_LOG_PAGE_BLOCKS = 16n;
/** Start the search this long before the row was created: database and chain clocks differ a little. */
const CLOCK_SKEW_SECONDS = 15 * 60;

export type ReconcileOutcome =
  | { kind: "settled"; txHash: string }
  | { kind: "not-settled"; final: boolean }
  | { kind: "unknown"; reason: string };

type StoredPayload = {
  authorization?: { validBefore?: string };
  grantsAccess?: boolean;
  expiresAt?: string | null;
};

export async function reconcilePayment(
  db: Db,
  client: PublicClient,
  payment: PaymentRow,
): Promise<ReconcileOutcome> {
  if (payment.method !== "authorization" || !payment.nonce)
    return { kind: "unknown", reason: "not an authorization" };
  const stored = (payment.payload ?? {}) as StoredPayload;
  let found: Finding;
  try {
    found = await findOnChain(client, payment);
  } catch (error) {
    return {
      kind: "unknown",
      reason: error instanceof Error ? error.message.split("\n")[0]! : "chain unreachable",
    };
  }
  switch (found.kind) {
    case "paid":
      await recordSettlement(db, {
        paymentId: payment.id,
        txHash: found.txHash,
        expiresAt: stored.expiresAt ? new Date(stored.expiresAt) : null,
        grantsAccess: stored.grantsAccess ?? true,
      });
      return { kind: "settled", txHash: found.txHash };
    case "void":
      // The nonce is spent without paying us; no later transaction can use it, so this is final.
      await markFailed(db, payment.id, found.reason, found.txHash);
      return { kind: "not-settled", final: true };
    case "unused": {
      // Once the authorization has expired it can never land, so the attempt is over.
      const validBefore = Number(stored.authorization?.validBefore ?? 0);
      if (validBefore > 0 && validBefore * 1000 < Date.now()) {
        await markFailed(db, payment.id, "authorization expired before it was settled");
        return { kind: "not-settled", final: true };
      }
      return { kind: "not-settled", final: false };
    }
    case "unexplained":
      return { kind: "unknown", reason: found.reason };
    default: {
      const never: never = found;
      throw new Error(`unhandled finding ${JSON.stringify(never)}`);
    }
  }
}

type Finding =
  | { kind: "paid"; txHash: string }
  | { kind: "void"; reason: string; txHash: string | null }
  | { kind: "unused" }
  /** The nonce is used but no log says how (an RPC that lost history): never guess "paid". */
  | { kind: "unexplained"; reason: string };

async function findOnChain(client: PublicClient, payment: PaymentRow): Promise<Finding> {
  const payer = payment.payer as Hex;
  const nonce = payment.nonce as Hex;
  const asset = payment.asset as Hex;
  const used = await client.readContract({
    address: asset,
    abi: eip3009Abi,
    functionName: "authorizationState",
    args: [payer, nonce],
  });
  if (!used) return { kind: "unused" };

  // A hash we already know (a relayer that answered, then lost the receipt) is checked first.
  if (payment.txHash) {
    const receipt = await receiptOrNull(client, payment.txHash as Hex);
    if (receipt && judge(receipt, payment) === "paid")
      return { kind: "paid", txHash: receipt.transactionHash.toLowerCase() };
  }

  const log = await findAuthorizationLog(client, payment);
  if (!log) {
    return { kind: "unexplained", reason: "nonce used on chain, but no AuthorizationUsed log was found" };
  }
  if (log.event === "AuthorizationCanceled") {
    return { kind: "void", reason: "authorization canceled by the payer", txHash: null };
  }
  const receipt = await client.getTransactionReceipt({ hash: log.txHash });
  if (judge(receipt, payment) === "paid") return { kind: "paid", txHash: log.txHash };
  return {
    kind: "void",
    reason: "the nonce was used by a transaction that did not pay this payment",
    txHash: null,
  };
}

/** "paid" when the receipt succeeded and holds both our AuthorizationUsed and our Transfer. */
function judge(receipt: TransactionReceipt, payment: PaymentRow): "paid" | "other" {
  if (receipt.status !== "success") return "other";
  const asset = payment.asset.toLowerCase();
  let authorized = false;
  let transferred = false;
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== asset) continue;
    try {
      const e = decodeEventLog({ abi: [...eip3009Abi, ...erc20Abi], data: log.data, topics: log.topics });
      if (
        e.eventName === "AuthorizationUsed" &&
        e.args.authorizer.toLowerCase() === payment.payer.toLowerCase() &&
        e.args.nonce.toLowerCase() === payment.nonce?.toLowerCase()
      )
        authorized = true;
      if (
        e.eventName === "Transfer" &&
        e.args.from.toLowerCase() === payment.payer.toLowerCase() &&
        e.args.to.toLowerCase() === payment.payTo.toLowerCase() &&
        e.args.value === payment.amountAtomic
      )
        transferred = true;
    } catch {
      // another event of the token (Approval, …)
    }
  }
  return authorized && transferred ? "paid" : "other";
}

async function receiptOrNull(client: PublicClient, hash: Hex): Promise<TransactionReceipt | null> {
  return client.getTransactionReceipt({ hash }).catch((error: unknown) => {
    if (error instanceof Error && /could not be found|not found/i.test(error.message)) return null;
    throw error;
  });
}

/**
 * The AuthorizationUsed or AuthorizationCanceled log of (payer, nonce), searched forward from
 * the block at or before the row's creation to the head, in pages. Both events share their
 * indexed arguments, so one filter with two topic-0 values finds either.
 */
async function findAuthorizationLog(
  client: PublicClient,
  payment: PaymentRow,
): Promise<{ event: "AuthorizationUsed" | "AuthorizationCanceled"; txHash: Hex } | null> {
  const args = { authorizer: payment.payer as Hex, nonce: payment.nonce as Hex };
  const [usedTopic, payerTopic, nonceTopic] = encodeEventTopics({
    abi: eip3009Abi,
    eventName: "AuthorizationUsed",
    args,
  });
  const [canceledTopic] = encodeEventTopics({ abi: eip3009Abi, eventName: "AuthorizationCanceled", args });
  const head = await client.getBlockNumber();
  let from = await blockAtOrBefore(client, payment.createdAt.getTime() / 1000 - CLOCK_SKEW_SECONDS, head);
  let page = LOG_PAGE_BLOCKS;
  while (from <= head) {
    const to = from + page - 1n < head ? from + page - 1n : head;
    let logs;
    try {
      logs = await client.request({
        method: "eth_getLogs",
        params: [
          {
            address: payment.asset as Hex,
            topics: [[usedTopic!, canceledTopic!], payerTopic ?? null, nonceTopic ?? null],
            fromBlock: `0x${from.toString(16)}`,
            toBlock: `0x${to.toString(16)}`,
          },
        ],
      });
    } catch (error) {
      // Many hosted RPCs cap the range of eth_getLogs; ask again for a smaller page.
      if (page <= MIN_LOG_PAGE_BLOCKS) throw error;
      page /= 2n;
      continue;
    }
    const hit = logs.find((l) => !l.removed);
    if (hit?.transactionHash) {
      return {
        event: hit.topics[0] === usedTopic ? "AuthorizationUsed" : "AuthorizationCanceled",
        txHash: hit.transactionHash.toLowerCase() as Hex,
      };
    }
    from = to + 1n;
  }
  return null;
}

/** The highest block whose timestamp is at or before `seconds` (0 when none is), by bisection. */
async function blockAtOrBefore(client: PublicClient, seconds: number, head: bigint): Promise<bigint> {
  const target = BigInt(Math.floor(Math.max(0, seconds)));
  const stamp = async (n: bigint) => (await client.getBlock({ blockNumber: n })).timestamp;
  if ((await stamp(head)) <= target) return head;
  let lo = 0n; // invariant: the answer is in [lo, hi); block `hi` is after the target
  let hi = head;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if ((await stamp(mid)) <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Rows a sweeper claims at a time, and how long it keeps them while it reads the chain. */
const SWEEP_BATCH = 20;
const SWEEP_LEASE_MS = 60_000;
/** A sweep stops taking new batches after this long (a serverless function has a time limit). */
const SWEEP_BUDGET_MS = 20_000;

/**
 * The sweep: settle or release every payment left half-done (a crash, a lost answer, a frozen
 * function). Any number of sweeps may run at once (the cron route on several instances, a
 * request's after(), a local timer): each claims its own rows (leaseUnfinishedSettlements), so
 * each payment is reconciled by one of them. Each row is reconciled on its own: one that throws
 * (a unique-key clash, a flaky read) is counted and left for the next sweep once its lease ends.
 */
export async function reconcileUnfinished(
  db: Db,
  client: PublicClient,
  now = new Date(),
  budgetMs = SWEEP_BUDGET_MS,
): Promise<{ settled: number; released: number; errors: number; examined: number }> {
  // A reservation that never reached "settling" was never sent to the chain: release it.
  const released = await releaseAbandonedReservations(db, new Date(now.getTime() - 60_000), now);
  let settled = 0;
  let errors = 0;
  let examined = 0;
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
    const batch = await leaseUnfinishedSettlements(db, {
      olderThan: new Date(now.getTime() - 30_000),
      now: new Date(),
      leaseMs: SWEEP_LEASE_MS,
      limit: SWEEP_BATCH,
    });
    if (batch.length === 0) break;
    for (const payment of batch) {
      examined++;
      try {
        const outcome = await reconcilePayment(db, client, payment);
        if (outcome.kind === "settled") settled++;
      } catch (error) {
        errors++;
        console.warn(
          `[kiosk] could not reconcile payment ${payment.id}:`,
          error instanceof Error ? error.message.split("\n")[0] : error,
        );
      }
    }
  }
  return { settled, released, errors, examined };
}
