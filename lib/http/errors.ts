// One table of API errors and the one function that turns them into responses.
// 402 is deliberately absent: "pay to continue" is not an error and has its own response builder.

export const errorStatus = {
  bad_request: 400,
  malformed_payment: 400,
  not_signed_in: 401,
  forbidden: 403,
  not_found: 404,
  payment_in_use: 409,
  already_yours: 409,
  conflict: 409,
  // Refunds (lib/studio/refunds.ts): the sale cannot take one, or the transaction does not refund it.
  not_refundable: 409,
  already_refunded: 409,
  refund_pending: 409,
  refund_tx_used: 409,
  refund_exceeds_sale: 422,
  refund_partial: 422,
  refund_reverted: 422,
  refund_wrong_token: 422,
  refund_wrong_sender: 422,
  refund_wrong_recipient: 422,
  refund_underpaid: 422,
  refund_before_sale: 422,
  rate_limited: 429,
  upstream_error: 502,
  chain_unavailable: 503,
  facilitator_unavailable: 503,
  database_unavailable: 503,
  not_configured: 503,
  relayer_unfunded: 503,
  relayer_paused: 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status: errorStatus[code], headers: { "cache-control": "no-store", ...headers } },
  );
}

/**
 * Thrown by the paid path once a settlement may have reached the chain: whatever failed next, the
 * reader must hear that the money may have moved (and how to get what it paid for), never that
 * nothing was charged. `paymentResponse` is the encoded PAYMENT-RESPONSE when the settlement is known.
 */
export class AfterSettlementError extends Error {
  constructor(
    readonly original: unknown,
    readonly paymentResponse: string | null,
  ) {
    super("failed after the settlement was sent");
    this.name = "AfterSettlementError";
  }
}

/** The answer for a paid request that failed once the chain may have settled it. */
export function afterSettlementResponse(paymentResponse: string | null): Response {
  return errorResponse(
    "upstream_error",
    paymentResponse
      ? "Your payment went through, but the content could not be delivered. Retry to get it: you will not be charged again."
      : "Your payment may have gone through, but the content could not be delivered. Retry to get it: you will not be charged twice.",
    {
      "retry-after": "5",
      ...(paymentResponse
        ? { "payment-response": paymentResponse, "access-control-expose-headers": "payment-response" }
        : {}),
    },
  );
}

/**
 * Known errors keep their code; anything else is a bug and answers a generic 500 without details
 * (they are logged here, never sent). The generic text makes no claim about money: an unexpected
 * error can come from anywhere, and only the paid path knows whether a charge happened.
 */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorResponse(error.code, error.message, error.headers);
  if (error instanceof AfterSettlementError) {
    console.error("[kiosk] failed after settlement", error.original);
    return afterSettlementResponse(error.paymentResponse);
  }
  console.error("[kiosk] unexpected error", error);
  return errorResponse("internal", "Something went wrong on our side. Try again in a moment.");
}
