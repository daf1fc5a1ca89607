// The answers of the paid paths (gasless payments and transfer claims): the 402 offer, the
// content, the content with a receipt cookie, and "the payment service is unavailable". Policy
// (which answer, when) stays with the callers; this module only says what each answer looks like.
import "server-only";
import type { PricedResource } from "../content/catalog";
import { formatUsdc, toUsdcDecimal } from "../content/money";
import { receiptCookie } from "../http/cookies";
import { errorResponse } from "../http/errors";
import { issueReceipt, receiptCookiePaths, type ReceiptSecrets } from "../verify";
import { encodeBase64Json } from "../x402/codec";
import type { PaymentRequiredBody } from "../x402/payment-required-body";
import {
  buildPaymentRequired,
  buildV1Accepts,
  paymentUri,
  type ChainConfig,
  type Offer,
} from "../x402/requirements";
import { SIGN_IN_WITH_X, siwxChallenge } from "../x402/siwx";
import type { SettleResponse } from "../x402/types";
import { FacilitatorUnavailableError } from "./facilitator";
import { restorable, siwxTarget } from "./siwx-challenge";
import { issueTransferQuote } from "./transfer-quote";

export type Content = { body: string; contentType: string };

/** What the answers need of the paid context (PaidContext has all of it). */
export type ResponseContext = {
  chain: ChainConfig;
  secrets: ReceiptSecrets;
  secureCookies: boolean;
  now?: () => Date;
};

/** The 402's error text when no payment was sent at all (the first, ordinary 402). */
export const PAYMENT_MISSING = "PAYMENT-SIGNATURE header is required";

export type Access = "free" | "receipt" | "paid" | "entitlement";

/** Browsers cap cookie lifetimes at 400 days; a lasting receipt asks for the cap. */
const LASTING_COOKIE_SECONDS = 400 * 24 * 3600;

/**
 * The Set-Cookie values that carry a receipt: one per path of the resource (its API route, and its
 * page for an article), living as long as the access does.
 */
export function receiptSetCookies(
  token: string,
  resource: { apiPath: string; pagePath: string | null },
  expiresAt: Date | null,
  o: { now: Date; secure: boolean },
): string[] {
  const maxAge = expiresAt
    ? Math.max(0, Math.floor((expiresAt.getTime() - o.now.getTime()) / 1000))
    : LASTING_COOKIE_SECONDS;
  return receiptCookiePaths(resource).map((path) => receiptCookie(token, { path, maxAge, secure: o.secure }));
}

/**
 * The 402: the official PAYMENT-REQUIRED header, plus a JSON body for people, the paywall and
 * simple clients (x402-fetch 1.x reads `x402Version: 1` + `accepts` from it), and the signed
 * quote the plain-transfer path pays.
 */
export async function paymentRequired(
  ctx: Pick<ResponseContext, "chain" | "secrets" | "now">,
  resource: PricedResource,
  p: { offer: Offer; error: string; reason?: string; settle?: SettleResponse },
): Promise<Response> {
  const { chain } = ctx;
  const { offer } = p;
  // The plain-transfer path pays a signed quote (price + a few atomic units), not the bare price.
  const transfer = issueTransferQuote(
    { resource: resource.key, price: resource.priceAtomic, payTo: offer.payTo, network: chain.caip2 },
    ctx.secrets,
    ctx.now?.() ?? new Date(),
  );
  const required = buildPaymentRequired(chain, offer, p.error);
  // A wallet that already bought a lasting purchase signs this challenge instead of paying again.
  // Stateless (an HMAC nonce): this 402 still writes nothing.
  if (restorable(resource))
    required.extensions = {
      ...required.extensions,
      [SIGN_IN_WITH_X]: siwxChallenge(siwxTarget(ctx, resource, offer.url), ctx.now?.() ?? new Date()),
    };
  const v1 = buildV1Accepts(chain, offer);
  const headers = new Headers({
    "payment-required": encodeBase64Json(required),
    "cache-control": "no-store",
    "content-type": "application/json",
  });
  if (p.settle) {
    headers.set("payment-response", encodeBase64Json(p.settle));
    if (v1) headers.set("x-payment-response", encodeBase64Json(p.settle));
  }
  const body = {
    x402Version: v1 ? 1 : 2,
    error: p.error,
    ...(p.reason ? { reason: p.reason } : {}),
    accepts: v1 ?? required.accepts,
    resource: required.resource,
    price: {
      amount: resource.priceAtomic.toString(),
      usdc: toUsdcDecimal(resource.priceAtomic),
      display: formatUsdc(resource.priceAtomic),
      asset: chain.usdc,
      network: chain.caip2,
      ...promotionFields(resource),
    },
    payTo: required.accepts[0]?.payTo ?? resource.payTo,
    accessWindowSeconds: resource.accessWindowSeconds,
    paymentUri: paymentUri(chain, { ...offer, amount: transfer.amount }),
    transferQuote: {
      token: transfer.token,
      amount: transfer.amount.toString(),
      display: formatUsdc(transfer.amount),
      expiresAt: transfer.expiresAt.toISOString(),
    },
  } satisfies PaymentRequiredBody;
  return new Response(JSON.stringify(body), { status: 402, headers });
}

/** A promotion the 402's price is under: the regular price and the end (none for a regular price). */
function promotionFields(r: PricedResource) {
  if (r.priceAtomic === r.regularPriceAtomic || !r.promotion) return {};
  return {
    regular: { amount: r.regularPriceAtomic.toString(), display: formatUsdc(r.regularPriceAtomic) },
    promotionEndsAt: r.promotion.endsAt.toISOString(),
  };
}

/**
 * A 402 for a signature that does not verify, without the offer (the caller has it, and building
 * it here would need the resource). The client signs again.
 */
export function signatureRefused(error: string, reason = "invalid_exact_evm_payload_signature"): Response {
  return new Response(JSON.stringify({ x402Version: 2, error, reason }), {
    status: 402,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

/** The content itself; never cached by anyone but the reader. */
export function deliver(content: Content, access: Access, extra?: Headers): Response {
  const headers = extra ?? new Headers();
  headers.set("content-type", content.contentType);
  headers.set("cache-control", "private, no-store");
  headers.set("x-kiosk-access", access);
  return new Response(content.body, { status: 200, headers });
}

/**
 * The content with PAYMENT-RESPONSE (when a settlement is known) and, when the purchase grants
 * access, a receipt: as a cookie on the article's API and page paths, and as `kiosk-receipt` for
 * agents.
 */
export async function deliverWithReceipt(
  content: Content,
  resource: PricedResource,
  ctx: ResponseContext,
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
    const now = ctx.now?.() ?? new Date();
    for (const cookie of receiptSetCookies(token, resource, p.expiresAt, {
      now,
      secure: ctx.secureCookies,
    })) {
      headers.append("set-cookie", cookie);
    }
    headers.set("kiosk-receipt", token);
    if (p.expiresAt) headers.set("kiosk-receipt-expires", p.expiresAt.toISOString());
    // Where the signed receipt of this purchase is downloaded (with the token above as Bearer).
    if (p.txHash) headers.set("kiosk-receipt-url", `/api/receipts/${p.txHash.toLowerCase()}`);
  }
  headers.set(
    "access-control-expose-headers",
    "payment-response, kiosk-receipt, kiosk-receipt-expires, kiosk-receipt-url",
  );
  return deliver(content, p.access, headers);
}

/**
 * The facilitator could not be asked (or its relayer cannot send): 503 with what to do. Its error
 * text (HTTP status and body, a stack line) is for our logs, not the client. Anything else is a
 * bug and is rethrown.
 */
export function unavailable(error: unknown): Response {
  if (!(error instanceof FacilitatorUnavailableError)) throw error;
  console.warn("[kiosk] facilitator unavailable:", error.message);
  switch (error.reason) {
    case "relayer_paused":
      return errorResponse(
        "relayer_paused",
        "Payments are paused while the payment relayer catches up; nothing was charged. Try again shortly.",
        { "retry-after": "30" },
      );
    case "relayer_unfunded":
      return errorResponse("relayer_unfunded", "The payment relayer is out of gas money; try again later.", {
        "retry-after": "10",
      });
    case "unreachable":
      return errorResponse(
        "facilitator_unavailable",
        "The payment service could not be reached; nothing was charged. Try again shortly.",
        { "retry-after": "10" },
      );
    default: {
      const never: never = error.reason;
      throw new Error(`unhandled facilitator outage ${String(never)}`);
    }
  }
}
