// Claiming a plain USDC transfer for a resource (the EIP-681 path). Same outcome as a gasless
// payment: a settled payment row, an entitlement and the receipt cookie, once per transaction.
import "server-only";
import { z } from "zod";
import { accessTerms, type PricedResource } from "../content/catalog";
import { errorResponse } from "../http/errors";
import { claimMessage } from "./claim-message";
import type { PaidContext } from "./paid-request";
import { deliverWithReceipt, type Content } from "./responses";
import { findActiveEntitlement, getPaymentByTx, recordSettlement, recordTransferClaim } from "./store";
import { checkTransfer, CLAIM_SIGNATURE_MAX_AGE_SECONDS, CLAIM_SIGNATURE_MAX_SKEW_SECONDS } from "./transfer";
import { verifyTransferQuote, type QuoteCheck } from "./transfer-quote";

const QUOTE_PROBLEMS: Record<Extract<QuoteCheck, { kind: "invalid" }>["reason"], string> = {
  malformed: "The transfer quote is malformed; reload the page for a fresh one.",
  "bad-signature": "The transfer quote was not issued by this site.",
  expired: "The transfer quote expired; reload the page and pay the new quote.",
  "other-resource": "The transfer quote is for another article or network.",
};

export const claimBodySchema = z.object({
  /** The resource's API path, e.g. "/api/articles/deep-sea". */
  resource: z.string().startsWith("/api/").max(400),
  txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "txHash must be a 32-byte 0x-hex transaction hash"),
  /** personal_sign over claimMessage(...) by the wallet that sent the transfer. */
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130,}$/, "signature must be 0x-hex")
    .max(4000),
  /** The 402's `transferQuote.token`: which amount, to whom, until when. */
  quote: z
    .string({ required_error: "quote is required (the transferQuote.token of the 402)" })
    .min(1)
    .max(2048),
  /** ISO 8601 time named in the signed message. */
  issuedAt: z
    .string({ required_error: "issuedAt is required" })
    .datetime({ message: "issuedAt must be an ISO 8601 time" }),
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
  const now = ctx.now?.() ?? new Date();

  // Cheap checks first: a stale signature or a quote we never signed costs no chain read.
  const signedAgo = (now.getTime() - Date.parse(body.issuedAt)) / 1000;
  if (signedAgo > CLAIM_SIGNATURE_MAX_AGE_SECONDS || signedAgo < -CLAIM_SIGNATURE_MAX_SKEW_SECONDS) {
    return errorResponse(
      "bad_request",
      "The claim signature is more than 10 minutes old or dated in the future; sign the claim again.",
    );
  }
  const quoted = await verifyTransferQuote(
    body.quote,
    { resource: resource.key, network: ctx.chain.caip2 },
    ctx.secrets,
    now,
  );
  if (quoted.kind === "invalid") {
    return errorResponse("bad_request", QUOTE_PROBLEMS[quoted.reason]);
  }
  const quote = quoted.quote;

  let check;
  try {
    check = await checkTransfer(ctx.chainClient, {
      txHash,
      signature: body.signature as `0x${string}`,
      message: claimMessage({
        origin: ctx.origin,
        resource: resource.key,
        txHash,
        chainId: ctx.chain.chainId,
        issuedAt: body.issuedAt,
      }),
      usdc: ctx.chain.usdc,
      payTo: quote.payTo,
      amount: quote.amount,
      quoteIssuedAt: quote.issuedAt,
      quoteExpiresAt: quote.expiresAt,
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
  const { grantsAccess, expiresAt } = accessTerms(resource, now);
  // A new transfer from a wallet that already holds the item buys nothing more: it is recorded
  // (so the hash cannot be claimed again) as owed back, and answered 409. Nothing is granted here,
  // so no proof beyond the sender's claim signature is needed.
  if (grantsAccess && !(await getPaymentByTx(ctx.db, ctx.chain.caip2, txHash))) {
    const held = await findActiveEntitlement(ctx.db, payer, resource.key, now);
    if (held) {
      const recorded = await recordTransferClaim(
        ctx.db,
        {
          method: "transfer",
          network: ctx.chain.caip2,
          asset: ctx.chain.usdc.toLowerCase(),
          payer,
          payTo: quote.payTo,
          txHash,
          amountAtomic: check.value,
          resource: resource.key,
          channel: "browser",
          refundDue: true,
        },
        { grantsAccess: false, expiresAt: null },
        now,
      );
      if (recorded) {
        return errorResponse(
          "already_yours",
          "Already yours: this wallet already holds this, so the transfer bought nothing more. The publisher sees it as one to refund; sign in with Restore purchases to read.",
        );
      }
    }
  }
  const content = await produce(); // before the claim is recorded, so a failure here claims nothing
  // The claim, its settlement and its entitlement are one transaction; of racing claims of one
  // hash, one insert wins (see store.ts).
  const inserted = await recordTransferClaim(
    ctx.db,
    {
      method: "transfer",
      network: ctx.chain.caip2,
      asset: ctx.chain.usdc.toLowerCase(),
      payer,
      payTo: quote.payTo,
      txHash,
      amountAtomic: check.value,
      resource: resource.key,
      channel: "browser",
      payload: { grantsAccess, expiresAt: expiresAt?.toISOString() ?? null },
    },
    { grantsAccess, expiresAt },
    now,
  );
  if (!inserted) {
    const existing = await getPaymentByTx(ctx.db, ctx.chain.caip2, txHash);
    if (existing?.refundDue)
      return errorResponse("already_yours", "This transfer was already answered: already yours.");
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

function pending(body: Record<string, unknown>, retryAfter: number): Response {
  return Response.json(body, {
    status: 402,
    headers: { "retry-after": String(retryAfter), "cache-control": "no-store" },
  });
}
