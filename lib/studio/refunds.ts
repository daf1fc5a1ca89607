// A publisher refunds a sale. The publisher's wallet sends the sale's amount back to the payer
// (a plain USDC transfer), and the studio hands Kiosk the transaction hash; Kiosk reads the
// transaction from the chain (lib/payments/refund-transfer.ts) before it revokes anything.
//
// Exactly once, whatever the button or the network does:
// - one refund per sale (refunds_payment_key) and one sale per transaction (refunds_tx_key);
// - the row is written "pending" before the chain is asked, so a second press with the same hash
//   joins the first, and a slow confirmation is resolved from the chain by asking again (the
//   studio asks until it is confirmed; any later request with the hash does the same);
// - confirming is one database transaction that moves the row from pending to confirmed, revokes
//   the entitlement and clears a "refund due" mark; of two racing confirmations one wins, and the
//   other answers what it did.
// A transaction that does not refund the sale (another sender, another recipient, less than the
// sale, another token, before the sale, reverted) is refused with a stable code, and its pending
// row removed, so the publisher can send the right one. A pending row whose transaction the chain
// has never seen gives way to a new hash (a wallet that dropped the first transaction).
import "server-only";
import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import type { PublicClient } from "viem";
import { formatUsdc } from "../content/money";
import type { Db } from "../db/client";
import type { Publisher } from "../db/queries";
import { entitlements, payments, refunds } from "../db/schema";
import { ApiError, type ErrorCode } from "../http/errors";
import {
  checkRefundTransfer,
  type RefundRefusal,
  type RefundTransferCheck,
} from "../payments/refund-transfer";
import { revocationsChanged } from "../payments/revocations";
import { getPaymentByTx } from "../payments/store";
import { publisherKeys } from "./scope";

export const refundBodySchema = z.object({
  txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "txHash must be a 32-byte 0x-hex transaction hash"),
  /** The amount being refunded, atomic units; when given it must be the sale's (no partial or larger refunds). */
  amount: z
    .string()
    .regex(/^[0-9]{1,30}$/, "amount must be atomic units (a whole number)")
    .optional(),
});
export type RefundBody = z.infer<typeof refundBodySchema>;

export type RefundContext = {
  chainClient: PublicClient;
  network: string;
  usdc: `0x${string}`;
  minConfirmations: number;
  now?: () => Date;
};

export type RefundView = {
  saleId: number;
  txHash: string;
  status: "refunded" | "pending";
  amount: { atomic: string; display: string };
  refundedAt: string | null;
};

export type RefundOutcome =
  | { kind: "refunded"; refund: RefundView; already: boolean }
  | { kind: "pending"; refund: RefundView; message: string }
  | { kind: "not-found" }
  | { kind: "forbidden" }
  | { kind: "refused"; code: ErrorCode; message: string };

const REFUSAL_CODES = {
  reverted: "refund_reverted",
  "wrong-token": "refund_wrong_token",
  "wrong-sender": "refund_wrong_sender",
  "wrong-recipient": "refund_wrong_recipient",
  underpaid: "refund_underpaid",
  "before-sale": "refund_before_sale",
} as const satisfies Record<RefundRefusal, ErrorCode>;

type Sale = typeof payments.$inferSelect;
type RefundRow = typeof refunds.$inferSelect;

export async function refundSale(
  db: Db,
  publisher: Publisher,
  saleId: number,
  body: RefundBody,
  ctx: RefundContext,
): Promise<RefundOutcome> {
  const txHash = body.txHash.toLowerCase() as `0x${string}`;
  const [sale] = await db.select().from(payments).where(eq(payments.id, saleId));
  if (!sale) return { kind: "not-found" };
  if (!(await publisherKeys(db, publisher)).includes(sale.resource)) return { kind: "forbidden" };
  if (sale.status !== "settled" || sale.network !== ctx.network)
    return refusal("not_refundable", "Only a settled sale on this site's network can be refunded.");
  if (body.amount !== undefined) {
    const asked = BigInt(body.amount);
    if (asked > sale.amountAtomic)
      return refusal(
        "refund_exceeds_sale",
        `A refund cannot be larger than the sale: ${formatUsdc(sale.amountAtomic)} was paid.`,
      );
    if (asked < sale.amountAtomic)
      return refusal("refund_partial", `A refund returns the whole sale: ${formatUsdc(sale.amountAtomic)}.`);
  }
  if (await getPaymentByTx(db, ctx.network, txHash))
    return refusal("refund_tx_used", "This transaction is a sale, not a refund.");

  const existing = await refundOf(db, sale.id);
  if (existing && existing.txHash !== txHash) {
    if (existing.status === "confirmed")
      return refusal("already_refunded", `This sale was already refunded by ${existing.txHash}.`);
    // Another hash is pending for this sale: settle that one first.
    const earlier = await resolve(db, publisher, sale, existing, ctx);
    if (earlier.kind === "refunded")
      return refusal("already_refunded", `This sale was already refunded by ${existing.txHash}.`);
    if (earlier.kind === "pending" && earlier.onChain)
      return refusal(
        "refund_pending",
        `A refund of this sale is waiting for confirmations: ${existing.txHash}. Check it again in a moment.`,
      );
    // Refused (its row is gone) or never seen by the chain: it gives way to this hash.
    await db.delete(refunds).where(and(eq(refunds.id, existing.id), eq(refunds.status, "pending")));
  }
  let row = existing?.txHash === txHash ? existing : null;
  if (!row) {
    const [used] = await db
      .select({ paymentId: refunds.paymentId })
      .from(refunds)
      .where(
        and(eq(refunds.network, ctx.network), eq(refunds.txHash, txHash), ne(refunds.paymentId, sale.id)),
      );
    if (used) return refusal("refund_tx_used", "This transaction already refunded another sale.");
    const [inserted] = await db
      .insert(refunds)
      .values({
        paymentId: sale.id,
        publisherId: publisher.id,
        network: ctx.network,
        txHash,
        status: "pending",
        amountAtomic: sale.amountAtomic,
        requestedAt: now(ctx),
      })
      .onConflictDoNothing()
      .returning();
    row = inserted ?? (await refundOf(db, sale.id));
    // Lost a race: to a press with the same hash (go on with its row), or to another one.
    if (!row) return refusal("refund_tx_used", "This transaction already refunded another sale.");
    if (row.txHash !== txHash)
      return refusal("refund_pending", `Another refund of this sale is being checked: ${row.txHash}.`);
  }
  if (row.status === "confirmed") return { kind: "refunded", refund: view(row), already: true };
  const outcome = await resolve(db, publisher, sale, row, ctx);
  switch (outcome.kind) {
    case "refunded":
      return { kind: "refunded", refund: view(outcome.row), already: false };
    case "pending":
      return { kind: "pending", refund: view(row), message: outcome.message };
    case "refused":
      return refusal(REFUSAL_CODES[outcome.reason], outcome.message);
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

type Resolved =
  | { kind: "refunded"; row: RefundRow }
  | { kind: "pending"; onChain: boolean; message: string }
  | { kind: "refused"; reason: RefundRefusal; message: string };

/** Asks the chain about a pending refund and acts on the answer. */
async function resolve(
  db: Db,
  publisher: Publisher,
  sale: Sale,
  row: RefundRow,
  ctx: RefundContext,
): Promise<Resolved> {
  // The sale's payout address, today's, and the studio wallet: all the publisher's own.
  const senders = [...new Set([sale.payTo, publisher.payTo, publisher.wallet])];
  let check: RefundTransferCheck;
  try {
    check = await checkRefundTransfer(ctx.chainClient, {
      txHash: row.txHash as `0x${string}`,
      usdc: ctx.usdc,
      senders: senders as `0x${string}`[],
      payer: sale.payer as `0x${string}`,
      amount: sale.amountAtomic,
      sale: { txHash: sale.txHash as `0x${string}` | null, settledAt: sale.settledAt ?? sale.createdAt },
      minConfirmations: ctx.minConfirmations,
    });
  } catch (error) {
    console.warn(`[kiosk] refund check of ${row.txHash}: ${(error as Error).message}`);
    throw new ApiError(
      "chain_unavailable",
      "The chain could not be read; the refund is recorded as pending. Check it again in a moment.",
    );
  }
  switch (check.kind) {
    case "not-found":
      return {
        kind: "pending",
        onChain: false,
        message: "The chain does not know this transaction yet; it is recorded as pending.",
      };
    case "pending":
      return {
        kind: "pending",
        onChain: true,
        message: `Mined; waiting for confirmations (${check.confirmations} of ${check.required}).`,
      };
    case "refused":
      await db.delete(refunds).where(and(eq(refunds.id, row.id), eq(refunds.status, "pending")));
      return { kind: "refused", reason: check.reason, message: check.message };
    case "ok":
      return { kind: "refunded", row: await confirm(db, sale, row, check, now(ctx)) };
    default: {
      const unreachable: never = check;
      return unreachable;
    }
  }
}

/** pending → confirmed, the entitlement revoked and a "refund due" cleared, all at once. */
async function confirm(
  db: Db,
  sale: Sale,
  row: RefundRow,
  check: Extract<RefundTransferCheck, { kind: "ok" }>,
  at: Date,
): Promise<RefundRow> {
  const confirmed = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(refunds)
      .set({
        status: "confirmed",
        confirmedAt: at,
        transferredAtomic: check.value,
        sender: check.from.toLowerCase(),
        blockNumber: check.blockNumber,
      })
      .where(and(eq(refunds.id, row.id), eq(refunds.status, "pending")))
      .returning();
    if (!updated) return null; // confirmed meanwhile by a racing request
    await tx
      .update(entitlements)
      .set({ revokedAt: at })
      .where(and(eq(entitlements.paymentId, sale.id), isNull(entitlements.revokedAt)));
    await tx.update(payments).set({ refundDue: false, updatedAt: at }).where(eq(payments.id, sale.id));
    return updated;
  });
  revocationsChanged(db);
  return confirmed ?? (await refundOf(db, sale.id)) ?? row;
}

async function refundOf(db: Db, paymentId: number): Promise<RefundRow | null> {
  const [row] = await db.select().from(refunds).where(eq(refunds.paymentId, paymentId));
  return row ?? null;
}

function view(row: RefundRow): RefundView {
  return {
    saleId: row.paymentId,
    txHash: row.txHash,
    status: row.status === "confirmed" ? "refunded" : "pending",
    amount: { atomic: row.amountAtomic.toString(), display: formatUsdc(row.amountAtomic) },
    refundedAt: row.confirmedAt?.toISOString() ?? null,
  };
}

const refusal = (code: ErrorCode, message: string): RefundOutcome => ({ kind: "refused", code, message });
const now = (ctx: RefundContext) => ctx.now?.() ?? new Date();
