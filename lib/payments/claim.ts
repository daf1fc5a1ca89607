// Claiming a plain USDC transfer for a resource (the EIP-681 path). Same outcome as a gasless
// payment: a settled payment row, an entitlement and the receipt cookie, once per transaction.
import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { accessTerms, type PricedResource } from "../content/catalog";
import { payments } from "../db/schema";
import { errorResponse } from "../errors";
import { deliverWithReceipt, type Content, type PaidContext } from "./paid-request";
import { findActiveEntitlement, recordSettlement } from "./store";
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
  // The unique (network, tx_hash) key makes the claim race-free: one insert wins.
  const inserted = await ctx.db
    .insert(payments)
    .values({
      method: "transfer",
      network: ctx.chain.caip2,
      asset: ctx.chain.usdc.toLowerCase(),
      payer,
      payTo: resource.payTo.toLowerCase(),
      txHash,
      amountAtomic: check.value,
      resource: resource.key,
      status: "settling",
      channel: "browser",
      payload: { grantsAccess, expiresAt: expiresAt?.toISOString() ?? null },
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  if (!inserted[0]) {
    const [existing] = await ctx.db
      .select()
      .from(payments)
      .where(and(eq(payments.network, ctx.chain.caip2), eq(payments.txHash, txHash)));
    // The rightful sender re-claiming for the same resource (a lost cookie) gets the receipt again.
    if (
      existing &&
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
  await recordSettlement(ctx.db, { paymentId: inserted[0].id, txHash, expiresAt, grantsAccess });
  return deliverWithReceipt(content, resource, ctx, {
    payer,
    txHash,
    expiresAt,
    access: "paid",
    grantsAccess,
    settle: { success: true, transaction: txHash, network: ctx.chain.caip2, payer },
  });
}

function pending(body: Record<string, unknown>, retryAfter: number): Response {
  return Response.json(body, {
    status: 402,
    headers: { "retry-after": String(retryAfter), "cache-control": "no-store" },
  });
}
