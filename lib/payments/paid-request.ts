// The one wrapper every paid route goes through (house style 3):
//   receipt? → deliver.  no payment? → 402.  payment → decode → match → reserve → verify →
//   produce the content → settle → record → deliver with PAYMENT-RESPONSE and a receipt.
// Settlement happens only after the content is ready; do not reorder those steps.
import "server-only";
import { verifyTypedData } from "viem";
import type { PublicClient } from "viem";
import { accessTerms, type PricedResource } from "../content/catalog";
import { readCookie } from "../cookies";
import { formatUsdc, toUsdcDecimal } from "../content/money";
import type { Db } from "../db/client";
import { errorResponse } from "../errors";
import {
  receiptCookiePaths,
  RECEIPT_COOKIE,
  receiptTokenFrom,
  issueReceipt,
  verifyReceipt,
  type ReceiptSecrets,
} from "../verify";
import { transferWithAuthorizationTypes } from "../x402/eip3009";
import { decodePaymentHeader, encodeBase64Json, type DecodedPayment } from "../x402/codec";
import {
  buildPaymentRequired,
  buildRequirements,
  buildV1Accepts,
  checkAuthorization,
  matchAccepted,
  paymentUri,
  type ChainConfig,
  type Offer,
} from "../x402/requirements";
import type { PaymentRequirements, SettleResponse } from "../x402/types";
import { FacilitatorUnavailableError, type Facilitator } from "./facilitator";
import { countFunnel } from "./funnel";
import { clientKeys, isThrottled, recordFailedAttempt } from "./rate-limit";
import { describeReason } from "./reasons";
import { reconcilePayment } from "./reconcile";
import {
  entitlementForPayment,
  findActiveEntitlement,
  getPayment,
  markFailed,
  markSettling,
  recordSettlement,
  reservePayment,
  type PaymentRow,
} from "./store";

export type Content = { body: string; contentType: string };

export type PaidContext = {
  db: Db;
  facilitator: Facilitator;
  chain: ChainConfig;
  chainClient: PublicClient;
  secrets: ReceiptSecrets;
  /** Origin used for `resource.url`, e.g. "https://kiosk.example". */
  origin: string;
  secureCookies: boolean;
  now?: () => Date;
};

/** How long a second payment from the same payer waits for the first one to finish. */
const BUSY_WAIT_MS = 20_000;
/** A "settling" row older than this on a retry is checked against the chain. */
const STALE_SETTLING_MS = 15_000;

export async function handlePaidRequest(
  req: Request,
  resource: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext,
): Promise<Response> {
  const now = ctx.now?.() ?? new Date();
  if (resource.priceAtomic === 0n) return deliver(await produce(), { access: "free" });

  // 1. A receipt (cookie, Bearer, or the token proxy.ts verified and forwarded) — checked again here.
  const token = receiptTokenFrom(req.headers, readCookie(req.headers.get("cookie"), RECEIPT_COOKIE));
  if (token) {
    const check = await verifyReceipt(token, resource.key, ctx.secrets, now);
    if (check.kind === "valid") {
      countFunnel(ctx.db, resource.key, "receiptReads");
      return deliver(await produce(), { access: "receipt" });
    }
  }

  // 2. No payment: the cheap path. No database write, no chain call.
  const v2Header = req.headers.get("payment-signature");
  const v1Header = v2Header ? null : req.headers.get("x-payment");
  const offer = offerFor(resource, ctx.origin);
  if (!v2Header && !v1Header) {
    countFunnel(ctx.db, resource.key, "shown402");
    return paymentRequired(ctx.chain, resource, offer, "PAYMENT-SIGNATURE header is required");
  }

  // 3. Decode and match against freshly built requirements (never trust the client's copy).
  const decoded = decodePaymentHeader((v2Header ?? v1Header)!, v2Header ? "PAYMENT-SIGNATURE" : "X-PAYMENT");
  if (decoded.kind === "malformed") return errorResponse("malformed_payment", decoded.reason);
  const payment = decoded.payment;
  const requirements = requirementsFor(ctx.chain, offer, payment);
  if (requirements.kind === "mismatch")
    return paymentRequired(ctx.chain, resource, offer, requirements.reason);
  const ours = requirements.requirements;
  const facilitatorRequirements = requirements.forFacilitator;
  const authCheck = checkAuthorization(ours, payment.authorization, Math.floor(now.getTime() / 1000));
  if (authCheck.kind === "mismatch") return paymentRequired(ctx.chain, resource, offer, authCheck.reason);

  const payer = payment.authorization.from.toLowerCase();
  const { grantsAccess, expiresAt } = accessTerms(resource, now);

  // 4. Already bought (lost cookie, second device): the signed payment proves the wallet; no charge.
  // Asked once the payment is reserved (which also catches a purchase that landed a moment ago)
  // and while waiting on another payment of this wallet, so a normal purchase queries it once.
  const alreadyHeld = async (): Promise<Response | null> => {
    if (!grantsAccess) return null;
    const held = await findActiveEntitlement(ctx.db, payer, resource.key, ctx.now?.() ?? new Date());
    if (!held || !(await signedByPayer(payment, ours, ctx, facilitatorRequirements))) return null;
    return deliverWithReceipt(await produce(), resource, ctx, {
      payer,
      txHash: held.txHash,
      expiresAt: held.expiresAt,
      settle: null,
      access: "entitlement",
    });
  };

  const limitKeys = clientKeys(req, payer);
  if (isThrottled(limitKeys)) {
    return errorResponse(
      "rate_limited",
      "Too many failed payment attempts; wait a minute and sign a fresh payment.",
      { "retry-after": "60" },
    );
  }

  // 5. Reserve (network, asset, payer, nonce) before anything else can spend it.
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
    lockKey: grantsAccess ? `${payer}|${resource.key}` : null,
    payload: {
      signature: payment.signature,
      authorization: payment.authorization,
      grantsAccess,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  };
  let reservation = await reservePayment(ctx.db, row);
  const waitUntil = Date.now() + BUSY_WAIT_MS;
  while (reservation.kind === "busy") {
    // Another payment by this wallet for this resource is in flight: wait for it, then either
    // hand over the content it bought (this payment is never submitted) or take our turn.
    const heldNow = await alreadyHeld();
    if (heldNow) return heldNow;
    if (Date.now() > waitUntil) {
      return errorResponse(
        "payment_in_use",
        "Another payment from this wallet for this resource is still settling; try again shortly.",
        { "retry-after": "2" },
      );
    }
    await new Promise((r) => setTimeout(r, 50));
    reservation = await reservePayment(ctx.db, row);
  }
  if (reservation.kind === "duplicate")
    return answerDuplicate(reservation.existing, payment, resource, produce, ctx);
  const paymentId = reservation.id;
  const heldAfterReserving = await alreadyHeld();
  if (heldAfterReserving) {
    await markFailed(ctx.db, paymentId, "not needed: the wallet already holds access");
    return heldAfterReserving;
  }

  // 6. Verify with the facilitator (signature, balance, simulation). The in-process facilitator
  // runs this same full check, simulation included, inside settle, so asking twice would only
  // repeat the chain reads and signature recovery; a hosted facilitator is asked up front.
  if (!ctx.facilitator.verifiesOnSettle) {
    let verified;
    try {
      verified = await ctx.facilitator.verify(payment.payload, facilitatorRequirements);
    } catch (error) {
      await markFailed(ctx.db, paymentId, "facilitator unavailable during verify");
      return unavailable(error);
    }
    if (verified.kind === "invalid") {
      recordFailedAttempt(limitKeys);
      await markFailed(ctx.db, paymentId, verified.reason);
      return paymentRequired(ctx.chain, resource, offer, describeReason(verified.reason), verified.reason);
    }
  }

  // 7. Produce the content before settling; a failure here releases the reservation and charges nothing.
  let content: Content;
  try {
    content = await produce();
  } catch (error) {
    await markFailed(ctx.db, paymentId, "content could not be produced");
    throw error;
  }

  // 8. Settle, then record durably before answering.
  await markSettling(ctx.db, paymentId);
  let settled;
  try {
    settled = await ctx.facilitator.settle(payment.payload, facilitatorRequirements);
  } catch (error) {
    await markFailed(ctx.db, paymentId, "relayer unavailable");
    return unavailable(error);
  }
  if (settled.kind === "failed") {
    if (!settled.transaction) recordFailedAttempt(limitKeys); // refused before anything was sent
    await markFailed(ctx.db, paymentId, settled.reason, settled.transaction);
    return paymentRequired(ctx.chain, resource, offer, describeReason(settled.reason), settled.reason, {
      success: false,
      errorReason: settled.reason,
      transaction: settled.transaction,
      network: ctx.chain.caip2,
      payer,
    });
  }
  let txHash: string | null;
  if (settled.kind === "unknown") {
    const stored = await getPayment(ctx.db, paymentId);
    const outcome = stored ? await reconcilePayment(ctx.db, ctx.chainClient, stored) : null;
    if (outcome?.kind !== "settled") {
      // Leave the row "settling": a retry of the same payment, or the start-up sweep, finishes it.
      return errorResponse(
        "upstream_error",
        "The settlement's outcome is not known yet. Retry with the same payment: it will never be charged twice.",
        { "retry-after": "5" },
      );
    }
    txHash = outcome.txHash;
  } else {
    txHash = settled.transaction;
    await recordSettlement(ctx.db, { paymentId, txHash, expiresAt, grantsAccess });
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

async function answerDuplicate(
  existing: PaymentRow,
  payment: DecodedPayment,
  resource: PricedResource,
  produce: () => Promise<Content>,
  ctx: PaidContext,
): Promise<Response> {
  // Same payer and nonce but another signature: not a replay of the real payment, just a forgery.
  const stored = existing.payload as { signature?: string } | null;
  const samePayload = stored?.signature?.toLowerCase() === payment.signature.toLowerCase();
  if (!samePayload || existing.resource !== resource.key) {
    return errorResponse("payment_in_use", "This payment authorization was already used.");
  }
  let current = existing;
  if (current.status === "settling" && Date.now() - current.updatedAt.getTime() > STALE_SETTLING_MS) {
    await reconcilePayment(ctx.db, ctx.chainClient, current);
    current = (await getPayment(ctx.db, current.id)) ?? current;
  }
  if (current.status === "settled") {
    const ent = await entitlementForPayment(ctx.db, current.id);
    // A per-request purchase was consumed by the first delivery; a lasting one may be re-served.
    if (ent && (!ent.expiresAt || ent.expiresAt > new Date())) {
      return deliverWithReceipt(await produce(), resource, ctx, {
        payer: current.payer,
        txHash: current.txHash,
        expiresAt: ent.expiresAt,
        access: "paid",
        settle: {
          success: true,
          transaction: current.txHash ?? "",
          network: current.network as `${string}:${string}`,
          payer: current.payer,
        },
      });
    }
  }
  return errorResponse(
    "payment_in_use",
    "This payment is already in use.",
    current.status === "settled" ? {} : { "retry-after": "1" },
  );
}

function requirementsFor(
  chain: ChainConfig,
  offer: Offer,
  payment: DecodedPayment,
):
  | { kind: "ok"; requirements: PaymentRequirements; forFacilitator: PaymentRequirements }
  | { kind: "mismatch"; reason: string } {
  const ours = buildRequirements(chain, offer);
  if (payment.x402Version === 2) {
    const accepted = (payment.payload as { accepted: PaymentRequirements }).accepted;
    const m = matchAccepted(ours, accepted);
    return m.kind === "match" ? { kind: "ok", requirements: ours, forFacilitator: ours } : m;
  }
  // v1 names the network ("base") at the top level and carries no `accepted` echo.
  const v1 = buildV1Accepts(chain, offer)?.[0];
  if (!v1)
    return {
      kind: "mismatch",
      reason: `x402 v1 cannot name this network; pay with x402 v2 on ${chain.caip2}`,
    };
  if (payment.v1?.scheme !== "exact")
    return { kind: "mismatch", reason: `unsupported scheme "${payment.v1?.scheme}"` };
  if (payment.v1.network !== v1.network)
    return { kind: "mismatch", reason: `wrong network: this resource is paid on ${v1.network}` };
  // Checks run on the v2 form; the facilitator's v1 scheme wants the v1 form.
  return { kind: "ok", requirements: ours, forFacilitator: v1 as unknown as PaymentRequirements };
}

/** EOA signatures recover locally (no chain call); smart wallets fall back to the facilitator's check. */
async function signedByPayer(
  payment: DecodedPayment,
  ours: PaymentRequirements,
  ctx: PaidContext,
  forFacilitator: PaymentRequirements,
): Promise<boolean> {
  const a = payment.authorization;
  const extra = ours.extra as { name: string; version: string };
  try {
    const ok = await verifyTypedData({
      address: a.from,
      domain: {
        name: extra.name,
        version: extra.version,
        chainId: ctx.chain.chainId,
        verifyingContract: ctx.chain.usdc,
      },
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message: {
        ...a,
        value: BigInt(a.value),
        validAfter: BigInt(a.validAfter),
        validBefore: BigInt(a.validBefore),
      },
      signature: payment.signature,
    });
    if (ok) return true;
  } catch {
    // not an ECDSA signature; ask the facilitator below
  }
  try {
    return (await ctx.facilitator.verify(payment.payload, forFacilitator)).kind === "valid";
  } catch {
    return false;
  }
}

function offerFor(resource: PricedResource, origin: string): Offer {
  return {
    url: origin + resource.apiPath,
    description: resource.description,
    mimeType: resource.mimeType,
    amount: resource.priceAtomic,
    payTo: resource.payTo,
  };
}

export function paymentRequired(
  chain: ChainConfig,
  resource: PricedResource,
  offer: Offer,
  error: string,
  reason?: string,
  settle?: SettleResponse,
): Response {
  const required = buildPaymentRequired(chain, offer, error);
  const v1 = buildV1Accepts(chain, offer);
  const headers = new Headers({
    "payment-required": encodeBase64Json(required),
    "cache-control": "no-store",
    "content-type": "application/json",
  });
  if (settle) {
    headers.set("payment-response", encodeBase64Json(settle));
    if (v1) headers.set("x-payment-response", encodeBase64Json(settle));
  }
  // The body is for people and simple clients; x402-fetch 1.x reads `x402Version: 1` + `accepts` from it.
  const body = {
    x402Version: v1 ? 1 : 2,
    error,
    ...(reason ? { reason } : {}),
    accepts: v1 ?? required.accepts,
    resource: required.resource,
    price: {
      amount: resource.priceAtomic.toString(),
      usdc: toUsdcDecimal(resource.priceAtomic),
      display: formatUsdc(resource.priceAtomic),
      asset: chain.usdc,
      network: chain.caip2,
    },
    payTo: required.accepts[0]?.payTo ?? resource.payTo,
    accessWindowSeconds: resource.accessWindowSeconds,
    paymentUri: paymentUri(chain, offer),
  };
  return new Response(JSON.stringify(body), { status: 402, headers });
}

function deliver(
  content: Content,
  opts: { access: "free" | "receipt" | "paid" | "entitlement" },
  extra?: Headers,
): Response {
  const headers = extra ?? new Headers();
  headers.set("content-type", content.contentType);
  headers.set("cache-control", "private, no-store");
  headers.set("x-kiosk-access", opts.access);
  return new Response(content.body, { status: 200, headers });
}

export async function deliverWithReceipt(
  content: Content,
  resource: PricedResource,
  ctx: PaidContext,
  p: {
    payer: string;
    txHash: string | null;
    expiresAt: Date | null;
    access: "paid" | "entitlement";
    settle: SettleResponse | null;
    grantsAccess?: boolean;
  },
): Promise<Response> {
  const headers = new Headers();
  if (p.settle) {
    headers.set("payment-response", encodeBase64Json(p.settle));
    headers.set("x-payment-response", encodeBase64Json(p.settle));
  }
  if (p.grantsAccess !== false) {
    const token = await issueReceipt(
      {
        sub: p.payer,
        res: resource.key,
        amt: resource.priceAtomic.toString(),
        net: ctx.chain.caip2,
        tx: p.txHash ?? undefined,
      },
      p.expiresAt,
      ctx.secrets,
    );
    const maxAge = p.expiresAt
      ? Math.max(0, Math.floor((p.expiresAt.getTime() - Date.now()) / 1000))
      : 400 * 24 * 3600; // browsers cap cookie lifetimes at 400 days
    for (const path of receiptCookiePaths(resource)) {
      headers.append(
        "set-cookie",
        `${RECEIPT_COOKIE}=${token}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${ctx.secureCookies ? "; Secure" : ""}`,
      );
    }
    headers.set("kiosk-receipt", token);
    if (p.expiresAt) headers.set("kiosk-receipt-expires", p.expiresAt.toISOString());
  }
  headers.set("access-control-expose-headers", "payment-response, kiosk-receipt, kiosk-receipt-expires");
  return deliver(content, { access: p.access }, headers);
}

function channelOf(req: Request): "browser" | "agent" {
  // Browsers label their own fetches with Sec-Fetch-Site; Node's fetch (undici) sends only
  // Sec-Fetch-Mode, and other HTTP clients and agents send neither.
  return req.headers.get("sec-fetch-site") ? "browser" : "agent";
}

function unavailable(error: unknown): Response {
  if (error instanceof FacilitatorUnavailableError) {
    return errorResponse(
      error.reason === "relayer_unfunded" ? "relayer_unfunded" : "facilitator_unavailable",
      error.message,
      { "retry-after": "10" },
    );
  }
  throw error;
}
