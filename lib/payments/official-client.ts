// The official x402 v2 client set up for Kiosk's chain, for tests, the benchmark and scripts
// (no server-only imports, so tsx can load it outside Next).
import { x402Client, x402HTTPClient } from "@x402/core/client";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import type { ClientEvmSigner } from "@x402/evm";
import { paymentIdentifierExtension } from "../x402/payment-identifier";
import type { ChainConfig } from "../x402/requirements";

/** Allowed to pay with the local test token, which the client does not know (it refuses other tokens as "only default assets"). */
export function officialClient(
  /** A viem local account, or any `{ address, signTypedData }` (a smart wallet's, say). */
  account: ClientEvmSigner,
  chain: ChainConfig,
  opts: { paymentIdentifier?: boolean } = {},
): x402Client {
  const client = new x402Client();
  client.register(chain.caip2, new ExactEvmScheme(account));
  client.setSpendControls({ allowedAssets: [{ network: chain.caip2, asset: chain.usdc }] });
  if (opts.paymentIdentifier) client.registerExtension(paymentIdentifierExtension());
  return client;
}

export function officialHttpClient(account: ClientEvmSigner, chain: ChainConfig): x402HTTPClient {
  return new x402HTTPClient(officialClient(account, chain));
}
