// wagmi + RainbowKit configuration, after the wagmi Next template (`getConfig()` with cookie
// storage and `ssr: true`), with the chain handed in at runtime rather than read at build time.
import { connectorsForWallets, type WalletList } from "@rainbow-me/rainbowkit";
import { injectedWallet, metaMaskWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import { cookieStorage, createConfig, createStorage, http, type Config } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { chainFor } from "./chain-config";
import { devWallet } from "./dev-wallet";

export const APP_NAME = "Kiosk";

/**
 * The wallet list is built by hand: `getDefaultConfig` hides the generic
 * browser wallet and contacts WalletConnect on load. Here, without a WalletConnect project id,
 * nothing leaves the machine:
 * - "Browser Wallet" is whatever sits at `window.ethereum` (hidden when nothing does); wallets
 *   that announce themselves through EIP-6963 (MetaMask, Coinbase Wallet, Rabby, the e2e test
 *   wallet…) get their own entry.
 * - MetaMask's own entry only adds a WalletConnect QR code for MetaMask Mobile (without the
 *   extension it *is* a WalletConnect connector and RainbowKit throws without a project id), so
 *   it comes with WalletConnect. The extension still shows up, through EIP-6963.
 * - Coinbase Wallet's entry is left out: its SDK is set up on every page load by wagmi's
 *   reconnect and sends a HEAD request for the current page (to read its Cross-Origin-Opener-Policy),
 *   which renders the page on the server once more; measured, no other request. The
 *   Coinbase extension announces itself through EIP-6963 anyway.
 * - "Dev wallet" exists on the local chain only, with a key the server passes only there.
 */
const browserWallet: typeof injectedWallet = () => ({
  ...injectedWallet(),
  hidden: () => typeof window !== "undefined" && !(window as { ethereum?: unknown }).ethereum,
});

export function getConfig(chainConfig: WalletChainConfig): Config {
  const chain = chainFor(chainConfig);
  const projectId = chainConfig.walletConnectProjectId;

  const wallets: WalletList = [
    {
      groupName: "Wallets",
      wallets: projectId ? [browserWallet, metaMaskWallet, walletConnectWallet] : [browserWallet],
    },
  ];
  if (chainConfig.network === "local" && chainConfig.devWallet) {
    wallets.push({
      groupName: "Local chain",
      wallets: [devWallet({ privateKey: chainConfig.devWallet.privateKey, chain })],
    });
  }

  const connectors = connectorsForWallets(wallets, {
    appName: APP_NAME,
    // Required by the type; only read by the WalletConnect-based wallets listed above.
    projectId: projectId ?? "",
  });

  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(chain.rpcUrls.default.http[0]) },
    storage: createStorage({ storage: cookieStorage }),
    ssr: true,
  });
}
