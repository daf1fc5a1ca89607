// The client half of the x402 payment-identifier extension: every payment carries a fresh id
// that never reaches the chain, so the server can tell the payer's own retry of a payment whose
// answer was lost from a copy rebuilt out of public calldata. Used by Kiosk's paywall and by the
// Node client in tests and scripts.
import {
  appendPaymentIdentifierToExtensions,
  generatePaymentId,
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
