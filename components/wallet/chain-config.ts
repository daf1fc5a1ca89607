// What the browser's wallet stack needs to know about the chain, handed down from the server as
// props at request time. Nothing here is read from process.env or baked in at build time: the
// e2e suite runs anvil on other ports than `npm run dev`, with the same build.
import { defineChain, type Chain } from "viem";
import { base, baseSepolia } from "viem/chains";

export type WalletNetwork = "local" | "base-sepolia" | "base";

export type WalletChainConfig = {
  network: WalletNetwork;
  chainId: number;
  /**
   * An RPC URL the *browser* may use. For local, the anvil URL; for Base, null (the chain's public
   * default) unless the operator set a public one — never a URL carrying an API key.
   */
  rpcUrl: string | null;
  /** A WalletConnect Cloud project id; without one, no wallet that needs WalletConnect is offered. */
  walletConnectProjectId: string | null;
  /**
   * Local chain only: a funded anvil reader account that the "Dev wallet" option signs with, so a
   * developer can pay without installing a browser wallet. Always null on Base.
   */
  devWallet: { address: `0x${string}`; privateKey: `0x${string}` } | null;
};

/** The anvil chain the local stack runs, at whatever port this run uses. */
export function localChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: "Kiosk local (anvil)",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}

/** The one chain Kiosk is configured for; wallets on any other chain are asked to switch. */
export function chainFor(config: WalletChainConfig): Chain {
  switch (config.network) {
    case "local": {
      if (!config.rpcUrl) throw new Error("the local chain needs an RPC URL");
      return localChain(config.chainId, config.rpcUrl);
    }
    case "base-sepolia":
      return withRpc(baseSepolia, config.rpcUrl);
    case "base":
      return withRpc(base, config.rpcUrl);
    default: {
      const unreachable: never = config.network;
      throw new Error(`unknown network ${String(unreachable)}`);
    }
  }
}

function withRpc(chain: Chain, rpcUrl: string | null): Chain {
  if (!rpcUrl) return chain;
  return { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [rpcUrl] } } };
}
