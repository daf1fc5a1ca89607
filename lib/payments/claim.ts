// Claiming a plain USDC transfer for a resource (the EIP-681 path). Same outcome as a gasless
// payment: a settled payment row, an entitlement and the receipt cookie, once per transaction.
import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { accessTerms, type PricedResource } from "../content/catalog";
import type { Db } from "../db/client";
import { entitlements, payments } from "../db/schema";
import { errorResponse } from "../errors";
import { deliverWithReceipt, type Content, type PaidContext } from "./paid-request";
import { findActiveEntitlement, recordSettlement, type NewPayment } from "./store";
import { checkTransfer } from "./transfer";

export const claimBodySchema = z.object({
  /** The resource's API path, e.g. "/api/articles/deep-sea". */
  resource: z.string().startsWith("/api/").max(400),
  txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "txHash must be a 32-byte 0x-hex transaction hash"),
  /** personal_sign over claimMessage(...) by the wallet that sent the transfer. */
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130,}$/, "signature must be 0x-hex")
    .max(4000),
});
export type ClaimBody = z.infer<typeof claimBodySchema>;

export async function handleTransferClaim(
  body: ClaimBody,
  resource: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext & { minConfirmations: number },
): Promise<Response> {
  if (resource.priceAtomic === 0n)
    return errorResponse("bad_request", "This resource is free; there is nothing to claim.");
  const txHash = body.txHash.toLowerCase() as `0x${string}`;

  let check;
  try {
    check = await checkTransfer(ctx.chainClient, {
      txHash,
      signature: body.signature as `0x${string}`,
      resource: resource.key,
      chainId: ctx.chain.chainId,
      usdc: ctx.chain.usdc,
      payTo: resource.payTo,
      price: resource.priceAtomic,
      minConfirmations: ctx.minConfirmations,
    });
  } catch {
    return errorResponse(
      "chain_unavailable",
      "The chain could not be read to check the transfer; try again shortly.",
      { "retry-after": "5" },
    );
  }
  switch (check.kind) {
    case "not-found":
      return pending(
        { status: "not-found", error: "Transaction not found yet; it may still be propagating." },
        3,
      );
    case "pending":
      return pending(
        {
          status: "pending",
          error: `Waiting for confirmations (${check.confirmations}/${check.required}).`,
          confirmations: check.confirmations,
          required: check.required,
        },
        2,
      );
    case "refused":
      return Response.json(
        { status: "refused", reason: check.reason, error: check.message },
        { status: 402, headers: { "cache-control": "no-store" } },
      );
    case "ok":
      break;
    default: {
      const never: never = check;
      throw new Error(`unhandled transfer check ${JSON.stringify(never)}`);
    }
  }

  const payer = check.from.toLowerCase();
  const { grantsAccess, expiresAt } = accessTerms(resource, new Date());
  const content = await produce(); // before the claim is recorded, so a failure here claims nothing
  // The claim, its settlement and its entitlement are one transaction: a crash or a failed write
  // leaves nothing behind, so the same hash can be claimed again. The unique (network, tx_hash)
  // key makes it race-free: one insert wins.
  const inserted = await recordClaim(
    ctx.db,
    {
      method: "transfer",
      network: ctx.chain.caip2,
      asset: ctx.chain.usdc.toLowerCase(),
      payer,
      payTo: resource.payTo.toLowerCase(),
      txHash,
      amountAtomic: check.value,
      resource: resource.key,
      channel: "browser",
      payload: { grantsAccess, expiresAt: expiresAt?.toISOString() ?? null },
    },
    { grantsAccess, expiresAt },
  );
  if (!inserted[0]) {
    const [existing] = await ctx.db
      .select()
      .from(payments)
      .where(and(eq(payments.network, ctx.chain.caip2), eq(payments.txHash, txHash)));
    // A claim stranded half-written by an earlier version (inserted "settling", never settled).
    if (
      existing?.method === "transfer" &&
      existing.status === "settling" &&
      existing.payer === payer &&
      existing.resource === resource.key
    ) {
      await recordSettlement(ctx.db, { paymentId: existing.id, txHash, expiresAt, grantsAccess });
      existing.status = "settled";
    }
    // The rightful sender re-claiming for the same resource (a lost cookie) gets the receipt again.
    if (
      existing?.method === "transfer" &&
      existing.payer === payer &&
      existing.resource === resource.key &&
      existing.status === "settled" &&
      grantsAccess
    ) {
      const held = await findActiveEntitlement(ctx.db, payer, resource.key);
      if (held) {
        return deliverWithReceipt(content, resource, ctx, {
          payer,
          txHash,
          expiresAt: held.expiresAt,
          access: "entitlement",
          settle: null,
        });
      }
    }
    return errorResponse("payment_in_use", "This transaction was already claimed.");
  }
  return deliverWithReceipt(content, resource, ctx, {
    payer,
    txHash,
    expiresAt,
    access: "paid",
    grantsAccess,
    settle: { success: true, transaction: txHash, network: ctx.chain.caip2, payer },
  });
}

/** Inserts a transfer claim as settled with its entitlement, atomically; [] when the hash is taken. */
async function recordClaim(
  db: Db,
  row: Omit<NewPayment, "status" | "settledAt">,
  terms: { grantsAccess: boolean; expiresAt: Date | null },
): Promise<{ id: number }[]> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const inserted = await tx
      .insert(payments)
      .values({ ...row, status: "settled", settledAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: payments.id, payer: payments.payer, amountAtomic: payments.amountAtomic });
    const claimed = inserted[0];
    if (claimed && terms.grantsAccess) {
      await tx.insert(entitlements).values({
        payer: claimed.payer,
        resource: row.resource,
        paymentId: claimed.id,
        amountAtomic: claimed.amountAtomic,
        expiresAt: terms.expiresAt,
      });
    }
    return claimed ? [{ id: claimed.id }] : [];
  });
}

function pending(body: Record<string, unknown>, retryAfter: number): Response {
  return Response.json(body, {
    status: 402,
    headers: { "retry-after": String(retryAfter), "cache-control": "no-store" },
  });
}
