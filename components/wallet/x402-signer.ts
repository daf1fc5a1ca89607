// The narrow seam between a wallet and the x402 payment code (the same code then runs with wagmi
// in the browser and with a viem local account in tests): payment code sees
// `{ address, signTypedData }` and nothing else, so it runs the same with wagmi's wallet client
// in the browser and with a viem local account in tests and scripts.
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment, x402Client, type Network } from "@x402/fetch";
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
  return wrapFetchWithPayment(baseFetch, client);
}
