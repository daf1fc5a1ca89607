// The one wrapper every paid route goes through, so no route can settle before its content is ready:
//   receipt? → deliver.  no payment? → 402.  payment → decode → match → check the signature
//   locally → reserve → (already held? a fresh proof, no charge) → verify → produce the content →
//   settle → record → deliver with PAYMENT-RESPONSE and a receipt.
// Settlement happens only after the content is ready; do not reorder those steps.
//
// Everything in a settled EIP-3009 authorization is public calldata, so a payment header proves
// nothing about who sends it once it has settled: a duplicate is answered 409 with the
// settlement, never with the content (one exception: the original payment-identifier, once, for
// a payment whose 200 was never answered). "Already yours" needs a fresh, never-used
// authorization, and spends it.
import "server-only";
import { accessTerms, atTime, offerFor, pricedForPayment, type PricedResource } from "../content/catalog";
import { readCookie, RECEIPT_COOKIE } from "../http/cookies";
import { AfterSettlementError, afterSettlementResponse, errorResponse } from "../http/errors";
import { ipKey, isThrottled, payerKey, recordFailedAttempt } from "../http/rate-limit";
import { receiptTokenFrom } from "../verify";
import { decodePaymentHeader, encodeBase64Json, type DecodedPayment } from "../x402/codec";
import { readPaymentIdentifier } from "../x402/payment-identifier";
import { SIGN_IN_WITH_X } from "../x402/siwx";
import { checkAuthorization, matchResource, requirementsFor } from "../x402/requirements";
import type { PaidContext } from "./context";
import { countFunnel } from "./funnel";
import { STALE_SETTLING_MS, waitForTurn, wake } from "./in-flight";
import { describeReason, meansNonceUsed } from "./reasons";
import { reconcilePayment } from "./reconcile";
import {
  deliver,
  deliverWithReceipt,
  PAYMENT_MISSING,
  paymentRequired,
  unavailable,
  type Content,
} from "./responses";
import { nonceUnusedOnChain, verifySigner } from "./signer";
import { checkReceipt, revocationsFor } from "./revocations";
import { restoreWithSiwx } from "./siwx-restore";
import {
  claimDelivery,
  entitlementForPayment,
  findActiveEntitlement,
  getPayment,
  markDelivered,
  markFailed,
  markProof,
  markSettling,
  recordSettlement,
  releaseReservation,
  reservePayment,
  type Entitlement,
  type PaymentRow,
} from "./store";

export type { Content } from "./responses";
export type { PaidContext } from "./context";

export async function handlePaidRequest(
  req: Request,
  listed: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext,
): Promise<Response> {
  const clock = () => ctx.now?.() ?? new Date();
  const now = clock();
  // Priced at this moment (a promotion runs to the second); a payment may keep an ended one's price.
  let resource = atTime(listed, now);
  if (resource.priceAtomic === 0n) return deliver(await produce(), "free");

  // 1. A receipt (cookie, Bearer, or the token proxy.ts verified and forwarded) — checked again here.
  const token = receiptTokenFrom(req.headers, readCookie(req.headers.get("cookie"), RECEIPT_COOKIE));
  if (token) {
    const check = await checkReceipt(revocationsFor(ctx.db), token, resource.key, ctx.secrets, now);
    if (check.kind === "valid") {
      countFunnel(ctx.db, resource.key, "receiptReads", now.getTime());
      return deliver(await produce(), "receipt");
    }
  }

  // 2. No payment: the cheap path. No database write, no chain call.
  const v2Header = req.headers.get("payment-signature");
  const v1Header = v2Header ? null : req.headers.get("x-payment");
  // A wallet signing in to read what it bought (sign-in-with-x), with no payment beside it.
  const siwxHeader = req.headers.get(SIGN_IN_WITH_X);
  if (siwxHeader && !v2Header && !v1Header) return restoreWithSiwx(req, siwxHeader, resource, produce, ctx);
  let offer = offerFor(resource, ctx.origin);
  if (!v2Header && !v1Header) {
    countFunnel(ctx.db, resource.key, "shown402", now.getTime());
    return paymentRequired(ctx, resource, { offer, error: PAYMENT_MISSING });
  }

  // 3. Decode and match against freshly built requirements (never trust the client's copy).
  const decoded = decodePaymentHeader((v2Header ?? v1Header)!, v2Header ? "PAYMENT-SIGNATURE" : "X-PAYMENT");
  if (decoded.kind === "malformed") return errorResponse("malformed_payment", decoded.reason);
  const payment = decoded.payment;
  const pricedForIt = pricedForPayment(listed, now, payment.authorization);
  if (pricedForIt.priceAtomic !== resource.priceAtomic) {
    resource = pricedForIt;
    offer = offerFor(resource, ctx.origin);
  }
  const requirements = requirementsFor(ctx.chain, offer, payment);
  if (requirements.kind === "mismatch")
    return paymentRequired(ctx, resource, { offer, error: requirements.reason });
  const ours = requirements.requirements;
  const facilitatorRequirements = requirements.forFacilitator;
  const authCheck = checkAuthorization(ours, payment.authorization, Math.floor(now.getTime() / 1000));
  if (authCheck.kind === "mismatch")
    return paymentRequired(ctx, resource, { offer, error: authCheck.reason });
  const resourceCheck = matchResource(payment.payload, offer);
  if (resourceCheck.kind === "mismatch")
    return paymentRequired(ctx, resource, { offer, error: resourceCheck.reason });
  const paymentId = readPaymentIdentifier(payment.payload);
  if (paymentId.kind === "invalid") return errorResponse("malformed_payment", paymentId.reason);

  // 4. Who signed? EOAs are checked locally; junk naming a stranger's wallet stops here, costs no
  // database row and is counted against the client's IP only — never against that stranger.
  const ip = ipKey(req.headers, ctx.trustedProxyHops ?? 0);
  const signer = await verifySigner(payment, facilitatorRequirements, ctx, ip);
  if (signer.kind !== "verified") return signer.response;
  const signatureVerifiedBy = signer.via;
  const payer = payment.authorization.from.toLowerCase();
  const limitKeys = [payerKey(payer), ip];
  if (await isThrottled([payerKey(payer)])) {
    return errorResponse(
      "rate_limited",
      "Too many failed payment attempts from this wallet; wait a minute and sign a fresh payment.",
      { "retry-after": "60" },
    );
  }
  const { grantsAccess, expiresAt } = accessTerms(resource, now);

  // 5. Reserve (network, asset, payer, nonce) before anything else can spend it. One purchase per
  // payer and resource is in flight at a time (lasting or per request), so an agent retrying with
  // fresh payments during an outage is never charged for each retry.
  const lockKey = `${payer}|${resource.key}`;
  const row = {
    method: "authorization" as const,
    network: ctx.chain.caip2,
    asset: ctx.chain.usdc.toLowerCase(),
    payer,
    payTo: offer.payTo.toLowerCase(),
    nonce: payment.authorization.nonce.toLowerCase(),
    amountAtomic: resource.priceAtomic,
    resource: resource.key,
    channel: channelOf(req),
    x402Version: payment.x402Version,
    lockKey,
    clientPaymentId: paymentId.id,
    payload: {
      signature: payment.signature,
      authorization: payment.authorization,
      grantsAccess,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  };

  // Already bought (lost cookie, second device, two payments at once): this authorization is a
  // fresh proof of the wallet — its signature verified, its nonce never seen by us (we just
  // reserved it) and never used on chain (checked here) — so it is spent as a proof, never sent,
  // and nothing is charged.
  const restore = async (reservedId: number, held: Entitlement): Promise<Response> => {
    await markProof(ctx.db, reservedId, clock());
    // What that purchase bought has now reached its payer: its own header earns no second delivery.
    await markDelivered(ctx.db, held.paymentId, clock());
    return deliverWithReceipt(await produce(), resource, ctx, {
      payer,
      txHash: held.txHash,
      expiresAt: held.expiresAt,
      settle: null,
      access: "entitlement",
    });
  };
  const usedOnChain = async (reservedId: number, release: "reserved" | "settling"): Promise<Response> => {
    const why = "authorization already used on chain";
    if (release === "reserved") await releaseReservation(ctx.db, reservedId, why, clock());
    else await markFailed(ctx.db, reservedId, why, null, clock());
    return errorResponse(
      "payment_in_use",
      "This payment authorization was already used on chain; it buys nothing here. Sign a new payment.",
    );
  };

  let reservation = await reservePayment(ctx.db, row, now);
  if (reservation.kind === "busy") {
    const waited = await waitForTurn(ctx, row, reservation, clock);
    if (waited.kind === "gave-up") {
      return errorResponse(
        "payment_in_use",
        "Another payment from this wallet for this resource is still settling; try again shortly. Nothing was charged for this one.",
        { "retry-after": "5" },
      );
    }
    reservation = waited.reservation;
  }
  if (reservation.kind === "duplicate")
    return answerDuplicate(reservation.existing, payment, paymentId.id, resource, produce, ctx);
  if (reservation.kind !== "reserved") throw new Error("unreachable: a reservation is reserved by now");
  const reservedId = reservation.id;
  // Set just before the settlement is sent: from then on a failure may follow a charge.
  const settlement: { sent: boolean; paymentResponse: string | null } = {
    sent: false,
    paymentResponse: null,
  };
  try {
    return await purchase();
  } catch (error) {
    if (settlement.sent) throw new AfterSettlementError(error, settlement.paymentResponse);
    throw error;
  } finally {
    wake(lockKey);
  }

  async function purchase(): Promise<Response> {
    // An authorization already used on chain (settled elsewhere, canceled, or rebuilt from a
    // settlement's calldata) is public: it buys nothing here and proves nothing. A proof must be
    // checked here; a purchase through the in-process facilitator is checked by its settlement's
    // simulation (transferWithAuthorization reverts for a used nonce, and is answered the same).
    const held = grantsAccess ? await findActiveEntitlement(ctx.db, payer, resource.key, clock()) : null;
    if (held || !ctx.facilitator.verifiesOnSettle) {
      const unused = await nonceUnusedOnChain(ctx, payment);
      if (unused === null) {
        await releaseReservation(ctx.db, reservedId, "chain unreadable", clock());
        return errorResponse(
          "facilitator_unavailable",
          "The chain could not be read to check the payment; nothing was charged.",
          { "retry-after": "10" },
        );
      }
      if (!unused) return usedOnChain(reservedId, "reserved");
    }
    if (held) return restore(reservedId, held);

    // 6. Verify with the facilitator (signature, balance, simulation). The in-process facilitator
    // runs this same full check, simulation included, inside settle, so asking twice would only
    // repeat the chain reads and signature recovery; a hosted facilitator is asked up front.
    if (!ctx.facilitator.verifiesOnSettle && signatureVerifiedBy !== "facilitator") {
      let verified;
      try {
        verified = await ctx.facilitator.verify(payment.payload, facilitatorRequirements);
      } catch (error) {
        await releaseReservation(ctx.db, reservedId, "facilitator unavailable during verify", clock());
        return unavailable(error);
      }
      if (verified.kind === "invalid") {
        await recordFailedAttempt(limitKeys);
        await releaseReservation(ctx.db, reservedId, verified.reason, clock());
        return paymentRequired(ctx, resource, {
          offer,
          error: describeReason(verified.reason),
          reason: verified.reason,
        });
      }
    }

    // 7. Produce the content before settling; a failure here releases the reservation and charges nothing.
    let content: Content;
    try {
      content = await produce();
    } catch (error) {
      await releaseReservation(ctx.db, reservedId, "content could not be produced", clock());
      throw error;
    }

    // 8. Settle, then record durably before answering.
    await markSettling(ctx.db, reservedId, clock());
    settlement.sent = true;
    let settled;
    try {
      settled = await ctx.facilitator.settle(payment.payload, facilitatorRequirements, {
        signedLocally: signatureVerifiedBy === "local",
      });
    } catch (error) {
      // Thrown only when nothing was sent (an outage, a relayer without gas): safe to release.
      await markFailed(ctx.db, reservedId, "relayer unavailable", null, clock());
      return unavailable(error);
    }
    if (settled.kind === "failed" && !settled.transaction && meansNonceUsed(settled.reason)) {
      // Refused before sending because the token has seen this nonce: public, not the payer's fault.
      return usedOnChain(reservedId, "settling");
    }
    if (settled.kind === "failed") {
      // Refused, or sent and reverted on chain (then the relayer paid gas): either way it counts
      // against this payer, whose signature verified.
      await recordFailedAttempt(limitKeys);
      await markFailed(ctx.db, reservedId, settled.reason, settled.transaction, clock());
      return paymentRequired(ctx, resource, {
        offer,
        error: describeReason(settled.reason),
        reason: settled.reason,
        settle: {
          success: false,
          errorReason: settled.reason,
          transaction: settled.transaction,
          network: ctx.chain.caip2,
          payer,
        },
      });
    }
    let txHash: string | null;
    if (settled.kind === "unknown") {
      const stored = await getPayment(ctx.db, reservedId);
      const outcome = stored ? await reconcilePayment(ctx.db, ctx.chainClient, stored) : null;
      if (outcome?.kind !== "settled") {
        // Leave the row "settling": whoever it blocks next, a retry, or the sweep finishes it.
        return errorResponse(
          "upstream_error",
          "The settlement's outcome is not known yet. Retry with the same payment (or sign a new one): you will never be charged twice.",
          { "retry-after": "5" },
        );
      }
      txHash = outcome.txHash;
      await markDelivered(ctx.db, reservedId, clock());
    } else {
      txHash = settled.transaction.toLowerCase();
      const settleResponse = encodeBase64Json({
        success: true,
        transaction: txHash,
        network: ctx.chain.caip2,
        payer,
      });
      settlement.paymentResponse = settleResponse;
      try {
        await recordSettlement(ctx.db, {
          paymentId: reservedId,
          txHash,
          expiresAt,
          grantsAccess,
          deliveredAt: clock(),
          now: clock(),
        });
      } catch (error) {
        console.error("[kiosk] settled but not recorded:", error instanceof Error ? error.message : error);
        // The row stays "settling" with the chain as the record; it is reconciled on the next try.
        return afterSettlementResponse(settleResponse);
      }
    }
    return deliverWithReceipt(content, resource, ctx, {
      payer,
      txHash,
      expiresAt,
      access: "paid",
      settle: { success: true, transaction: txHash ?? "", network: ctx.chain.caip2, payer },
      grantsAccess,
    });
  }
}

async function answerDuplicate(
  existing: PaymentRow,
  payment: DecodedPayment,
  paymentId: string | null,
  resource: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext,
): Promise<Response> {
  const now = ctx.now?.() ?? new Date();
  let current = existing;
  if (current.status === "settling" && now.getTime() - current.updatedAt.getTime() > STALE_SETTLING_MS) {
    await reconcilePayment(ctx.db, ctx.chainClient, current);
    current = (await getPayment(ctx.db, current.id)) ?? current;
  }
  const settlement =
    current.status === "settled"
      ? {
          success: true,
          transaction: current.txHash ?? "",
          network: current.network as `${string}:${string}`,
          payer: current.payer,
        }
      : null;
  // The honest retry after a lost answer: the same signature, for the same resource, carrying the
  // payment-identifier it was first sent with (which never reaches the chain), and the payment's
  // 200 was never answered. Served once; every later copy gets the 409.
  const stored = current.payload as { signature?: string } | null;
  const sameSignature = stored?.signature?.toLowerCase() === payment.signature.toLowerCase();
  if (
    settlement &&
    sameSignature &&
    paymentId !== null &&
    current.clientPaymentId === paymentId &&
    current.resource === resource.key &&
    (await claimDelivery(ctx.db, current.id, now))
  ) {
    const ent = await entitlementForPayment(ctx.db, current.id);
    return deliverWithReceipt(await produce(), resource, ctx, {
      payer: current.payer,
      txHash: current.txHash,
      expiresAt: ent?.expiresAt ?? null,
      access: "paid",
      settle: settlement,
      grantsAccess: Boolean(ent) && (!ent?.expiresAt || ent.expiresAt > now),
    });
  }
  const headers: Record<string, string> = settlement
    ? {
        "payment-response": encodeBase64Json(settlement),
        "access-control-expose-headers": "payment-response",
      }
    : { "retry-after": "2" };
  const message = settlement
    ? "This payment has already settled and its content was delivered. A payment header proves nothing once it is on chain: read with your receipt, or sign a new payment to restore a lasting purchase (it will not be charged)."
    : "This payment authorization was already used.";
  return errorResponse("payment_in_use", message, headers);
}

function channelOf(req: Request): "browser" | "agent" {
  // Browsers label their own fetches with Sec-Fetch-Site; Node's fetch (undici) sends only
  // Sec-Fetch-Mode, and other HTTP clients and agents send neither.
  return req.headers.get("sec-fetch-site") ? "browser" : "agent";
}
