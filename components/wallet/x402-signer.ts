// The narrow seam between a wallet and the x402 payment code (the same code then runs with wagmi
// in the browser and with a viem local account in tests): payment code sees
// `{ address, signTypedData }` and nothing else, so it runs the same with wagmi's wallet client
// in the browser and with a viem local account in tests and scripts.
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentRequired } from "@x402/core/types";
import { wrapFetchWithPayment, x402Client, x402HTTPClient, type Network } from "@x402/fetch";
import type { Account, Chain, SignTypedDataParameters, Transport, WalletClient } from "viem";
import { paymentIdentifierExtension } from "@/lib/x402/payment-identifier";

/** What @x402/evm's `ClientEvmSigner` requires; its other members are optional extras. */
export type X402Signer = {
  readonly address: `0x${string}`;
  signTypedData(message: {
    domain: Record<string, unknown>;
    types: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
  }): Promise<`0x${string}`>;
};

/**
 * Adapts a viem wallet client that has an account (what wagmi's `useWalletClient()` returns once
 * connected) to the x402 signer. The wallet prompts for an `eth_signTypedData_v4` signature;
 * nothing is sent on chain by the payer.
 */
export function toX402Signer(walletClient: WalletClient<Transport, Chain | undefined, Account>): X402Signer {
  const account = walletClient.account;
  return {
    address: account.address,
    signTypedData: ({ domain, types, primaryType, message }) =>
      // The x402 scheme builds EIP-712 data with loose types; viem's are exact. Same shape.
      walletClient.signTypedData({
        account,
        domain,
        types,
        primaryType,
        message,
      } as unknown as SignTypedDataParameters<Record<string, unknown>, string, Account>),
  };
}

export type PayingFetchOptions = {
  signer: X402Signer;
  /** CAIP-2 network id the site is configured for, e.g. "eip155:31337". */
  network: Network;
  /** Token contract the site prices in. */
  asset: `0x${string}`;
  /**
   * Refuse to sign for more than this (atomic units, a decimal string): the price the reader was
   * shown. The official client otherwise only knows the default USDC deployments (it refuses
   * other tokens as "only default assets") and caps those at $1.
   */
  maxAmount: string;
};

/**
 * `fetch` that answers a 402 by signing the `exact` EVM payment for `network` (x402 v2 only) and
 * retrying with PAYMENT-SIGNATURE. Anything the server asks beyond `maxAmount`, on another
 * network or in another asset is refused before the wallet is asked.
 */
export function createPayingFetch(options: PayingFetchOptions, baseFetch: typeof fetch = fetch) {
  return wrapFetchWithPayment(baseFetch, payingClient(options));
}

/**
 * Pays a 402 the caller already holds: signs for `paymentRequired` and sends one request with
 * PAYMENT-SIGNATURE. The official wrapper always asks the server again first (a second 402 round
 * trip before the wallet is even asked), which the paywall does not need: it read this very 402
 * when the reader clicked Unlock. If the terms changed in between (a promotion ended, the price
 * was edited), the server refuses the stale payment before settling anything and answers a 402
 * with different terms; only then does this fall back to the wrapper, which reads the new terms
 * (still capped at `maxAmount`, the price the reader was shown) and signs again.
 */
export async function payQuoted(
  options: PayingFetchOptions,
  paymentRequired: PaymentRequired,
  url: string,
  init: RequestInit = {},
  baseFetch: typeof fetch = fetch,
): Promise<Response> {
  const client = payingClient(options);
  const http = new x402HTTPClient(client);
  const payload = await client.createPaymentPayload(paymentRequired);
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(http.encodePaymentSignatureHeader(payload)))
    headers.set(name, value);
  const response = await baseFetch(url, { ...init, headers });
  if (response.status !== 402 || !termsChanged(payload.accepted, response.headers.get("payment-required")))
    return response;
  return wrapFetchWithPayment(baseFetch, client)(url, init);
}

/** Whether a 402 asks for something other than what was signed (same scheme, network and asset). */
function termsChanged(signed: PaymentRequired["accepts"][number], header: string | null): boolean {
  if (!header) return false;
  let now: PaymentRequired;
  try {
    now = decodePaymentRequiredHeader(header);
  } catch {
    return false; // not a 402 this client could pay anyway: report it as it is
  }
  const same = now.accepts.find(
    (r) =>
      r.scheme === signed.scheme &&
      r.network === signed.network &&
      r.asset.toLowerCase() === signed.asset.toLowerCase(),
  );
  return (
    !!same &&
    (same.amount !== signed.amount ||
      same.payTo.toLowerCase() !== signed.payTo.toLowerCase() ||
      same.maxTimeoutSeconds !== signed.maxTimeoutSeconds)
  );
}

function payingClient(options: PayingFetchOptions): x402Client {
  const client = new x402Client();
  registerExactEvmScheme(client, { signer: options.signer, networks: [options.network] });
  client.setSpendControls({
    maxAmountPerPayment: false,
    allowedAssets: [
      { network: options.network, asset: options.asset, maxAmountPerPayment: options.maxAmount },
    ],
  });
  // Only the configured asset may be paid, whatever defaults the official client knows.
  client.registerPolicy((_version, accepts) =>
    accepts.filter(
      (r) => r.network === options.network && r.asset.toLowerCase() === options.asset.toLowerCase(),
    ),
  );
  // Lets the reader's retry of a payment whose answer was lost receive what it paid for.
  client.registerExtension(paymentIdentifierExtension());
  return client;
}
