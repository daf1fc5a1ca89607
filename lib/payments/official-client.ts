// The official x402 v2 client set up for Kiosk's chain, for tests, the benchmark and scripts
// (no server-only imports, so tsx can load it outside Next).
import { x402Client, x402HTTPClient } from "@x402/core/client";
import {
  appendPaymentIdentifierToExtensions,
  generatePaymentId,
  PAYMENT_IDENTIFIER,
} from "@x402/extensions/payment-identifier";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import type { PrivateKeyAccount } from "viem/accounts";
import type { ChainConfig } from "../x402/requirements";

/** Allowed to pay with the local test token, which the client does not know (stack-notes trap 7). */
export function officialClient(
  account: PrivateKeyAccount,
  chain: ChainConfig,
  opts: { paymentIdentifier?: boolean } = {},
): x402Client {
  const client = new x402Client();
  client.register(chain.caip2, new ExactEvmScheme(account));
  client.setSpendControls({ allowedAssets: [{ network: chain.caip2, asset: chain.usdc }] });
  if (opts.paymentIdentifier) client.registerExtension(paymentIdentifierExtension());
  return client;
}

/**
 * Echoes a fresh x402 payment-identifier in every payment the server offers it for, so a retry of
 * the same header after a lost answer can be recognised as the payer's own.
 */
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

export function officialHttpClient(account: PrivateKeyAccount, chain: ChainConfig): x402HTTPClient {
  return new x402HTTPClient(officialClient(account, chain));
}
