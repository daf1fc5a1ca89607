// The chain is the source of truth for a settlement whose answer was lost (timeout, crash,
// restart): an EIP-3009 nonce marked used means the transfer happened, and the token's
// AuthorizationUsed event names the transaction. Used on a retry of the same payment and at start-up.
import "server-only";
import { and, eq, lt } from "drizzle-orm";
import { parseAbi, type PublicClient } from "viem";
import type { Db } from "../db/client";
import { payments } from "../db/schema";
import { listUnfinishedSettlements, markFailed, recordSettlement, type PaymentRow } from "./store";

const eip3009Abi = parseAbi([
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
]);

/** How far back to look for the settlement transaction (Base makes a block every 2 s: ~3 hours). */
const LOG_LOOKBACK_BLOCKS = 5_000n;

export type ReconcileOutcome =
  | { kind: "settled"; txHash: string | null }
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
  const payer = payment.payer as `0x${string}`;
  const nonce = payment.nonce as `0x${string}`;
  const asset = payment.asset as `0x${string}`;
  let used: boolean;
  try {
    used = await client.readContract({
      address: asset,
      abi: eip3009Abi,
      functionName: "authorizationState",
      args: [payer, nonce],
    });
  } catch (error) {
    return {
      kind: "unknown",
      reason: error instanceof Error ? error.message.split("\n")[0]! : "chain unreachable",
    };
  }
  const stored = (payment.payload ?? {}) as StoredPayload;
  if (used) {
    let txHash: string | null = payment.txHash;
    if (!txHash) {
      try {
        const latest = await client.getBlockNumber();
        const logs = await client.getLogs({
          address: asset,
          event: eip3009Abi[1],
          args: { authorizer: payer, nonce },
          fromBlock: latest > LOG_LOOKBACK_BLOCKS ? latest - LOG_LOOKBACK_BLOCKS : 0n,
          toBlock: latest,
        });
        txHash = logs[0]?.transactionHash ?? null;
      } catch {
        txHash = null; // access matters more than the hash; the payment is settled either way
      }
    }
    await recordSettlement(db, {
      paymentId: payment.id,
      txHash,
      expiresAt: stored.expiresAt ? new Date(stored.expiresAt) : null,
      grantsAccess: stored.grantsAccess ?? true,
    });
    return { kind: "settled", txHash };
  }
  // Unused nonce: once the authorization has expired it can never land, so the attempt is over.
  const validBefore = Number(stored.authorization?.validBefore ?? 0);
  if (validBefore > 0 && validBefore * 1000 < Date.now()) {
    await markFailed(db, payment.id, "authorization expired before it was settled");
    return { kind: "not-settled", final: true };
  }
  return { kind: "not-settled", final: false };
}

/** Start-up sweep: settle or release every payment a previous process left half-done. */
export async function reconcileUnfinished(
  db: Db,
  client: PublicClient,
  now = new Date(),
): Promise<{ settled: number; released: number }> {
  // A reservation that never reached "settling" was never sent to the chain: release it.
  const released = await db
    .update(payments)
    .set({ status: "failed", errorReason: "abandoned before settlement", lockKey: null, updatedAt: now })
    .where(and(eq(payments.status, "reserved"), lt(payments.updatedAt, new Date(now.getTime() - 60_000))))
    .returning({ id: payments.id });
  let settled = 0;
  for (const payment of await listUnfinishedSettlements(db, new Date(now.getTime() - 30_000))) {
    const outcome = await reconcilePayment(db, client, payment);
    if (outcome.kind === "settled") settled++;
  }
  return { settled, released: released.length };
}
