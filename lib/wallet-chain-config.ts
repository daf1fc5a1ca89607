// What the browser's wallet stack needs to know about the chain, decided by the server from its
// environment per request: a page calls walletChainConfig() and passes the result down as props to
// the (dynamically loaded) WalletProviders. Client code imports only the types from here.
import "server-only";
import { env as readEnv, type Env } from "./env";

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
