// The x402 payment-identifier extension: every payment carries a fresh id that never reaches the
// chain, so the server can tell the payer's own retry of a payment whose answer was lost from a
// copy rebuilt out of public calldata. The client half is used by Kiosk's paywall and by the Node
// client in tests and scripts; the server half reads the id from a paid request.
import {
  appendPaymentIdentifierToExtensions,
  generatePaymentId,
  isValidPaymentId,
  PAYMENT_IDENTIFIER,
} from "@x402/extensions/payment-identifier";

/** An x402 client extension: adds an id wherever the server declared the extension. */
export function paymentIdentifierExtension() {
  return {
    key: PAYMENT_IDENTIFIER,
    enrichPaymentPayload: async <P extends { extensions?: Record<string, unknown> }>(payload: P) => ({
      ...payload,
      // The helper writes into the object it is given: hand it a copy, never the 402's own.
      extensions: appendPaymentIdentifierToExtensions(
        structuredClone(payload.extensions ?? {}),
        generatePaymentId(),
      ),
    }),
  };
}

export type PaymentIdentifierRead = { kind: "ok"; id: string | null } | { kind: "invalid"; reason: string };

/**
 * The id a v2 payment carries, checked by the extension's own rules (`info.required` a boolean,
 * `info.id` absent or 16–128 of [A-Za-z0-9_-]). The official extractor also compiles, with Ajv,
 * whatever JSON schema the client echoes beside the id: that costs milliseconds of CPU on every
 * paid request, and it runs a schema (patterns included) chosen by the client. The schema is
 * ours, declared in the 402, so its rules are checked here directly and the client's copy is
 * never compiled.
 */
export function readPaymentIdentifier(payload: {
  x402Version: number;
  extensions?: Record<string, unknown>;
}): PaymentIdentifierRead {
  if (payload.x402Version !== 2) return { kind: "ok", id: null };
  const extension = payload.extensions?.[PAYMENT_IDENTIFIER];
  if (!extension) return { kind: "ok", id: null };
  const invalid = (why: string): PaymentIdentifierRead => ({
    kind: "invalid",
    reason: `payment-identifier: ${why}`,
  });
  if (typeof extension !== "object") return invalid("Extension must be an object");
  const info = (extension as { info?: unknown }).info;
  if (!info || typeof info !== "object") return invalid("Extension must have an 'info' property");
  const { required, id } = info as { required?: unknown; id?: unknown };
  if (typeof required !== "boolean") return invalid("Extension info must have a 'required' boolean property");
  if (id === undefined) return { kind: "ok", id: null };
  if (typeof id !== "string") return invalid("Extension info 'id' must be a string if provided");
  if (!isValidPaymentId(id))
    return invalid(
      "Invalid payment ID format. ID must be 16-128 characters and contain only alphanumeric characters, hyphens, and underscores.",
    );
  return { kind: "ok", id };
}
