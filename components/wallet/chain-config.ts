// The chain the browser's wallet stack connects to, built from the WalletChainConfig the server
// hands down as props (lib/wallet-chain-config.ts). Nothing here is read from process.env or baked
// in at build time: the e2e suite runs anvil on other ports than `npm run dev`, with the same build.
import { defineChain, type Chain } from "viem";
import { base, baseSepolia } from "viem/chains";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";

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
