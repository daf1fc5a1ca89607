// One table of API errors and the one function that turns them into responses.
// 402 is deliberately absent: "pay to continue" is not an error and has its own response builder.

export const errorStatus = {
  bad_request: 400,
  malformed_payment: 400,
  not_signed_in: 401,
  forbidden: 403,
  not_found: 404,
  payment_in_use: 409,
  conflict: 409,
  rate_limited: 429,
  upstream_error: 502,
  chain_unavailable: 503,
  facilitator_unavailable: 503,
  database_unavailable: 503,
  not_configured: 503,
  relayer_unfunded: 503,
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

/** Known errors keep their code; anything else is a bug and answers a generic 500 without details. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorResponse(error.code, error.message, error.headers);
  console.error("[kiosk] unexpected error", error);
  return errorResponse("internal", "Something went wrong on our side; nothing was charged.");
}
