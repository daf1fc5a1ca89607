// Builds the wallet stack's props from the server's environment, per request. A page calls this
// and passes the result to the (dynamically loaded) WalletProviders.
import "server-only";
import { env as readEnv, type Env } from "@/lib/env";
import type { WalletChainConfig } from "./chain-config";

export function walletChainConfig(env: Env = readEnv()): WalletChainConfig {
  const { network } = env;
  if (network.name !== "local") {
    return {
      network: network.name,
      chainId: network.chainId,
      // The server's RPC_URL may carry an API key; browsers use the chain's public RPC.
      rpcUrl: null,
      walletConnectProjectId: env.walletConnectProjectId,
      devWallet: null,
    };
  }
  // The first reader: a well-known anvil key holding test USDC. It is handed to the browser only
  // on the local chain, where it is worthless; never for Base.
  const reader = env.devnet?.accounts.find((a) => a.role === "reader") ?? null;
  return {
    network: "local",
    chainId: network.chainId,
    rpcUrl: network.rpcUrl,
    walletConnectProjectId: env.walletConnectProjectId,
    devWallet: reader
      ? { address: reader.address as `0x${string}`, privateKey: reader.privateKey as `0x${string}` }
      : null,
  };
}
