"use client";
// The wallet stack: wagmi, react-query and RainbowKit. Pages never import this statically; the
// paywall loads it with `dynamic(() => import(...), { ssr: false })` when the reader clicks Unlock,
// so reading a free article ships no wallet JavaScript.
import "@rainbow-me/rainbowkit/styles.css";
import { lightTheme, RainbowKitProvider } from "@rainbow-me/rainbowkit";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { cookieToInitialState, WagmiProvider } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { getConfig } from "./config";

export type WalletProvidersProps = {
  chainConfig: WalletChainConfig;
  /** The request's Cookie header, when rendered from the server; the browser's cookies otherwise. */
  cookie?: string | null;
  children: ReactNode;
};

/**
 * RainbowKit's light theme, with the colours that fall short of WCAG AA's 4.5:1 for text replaced:
 * its blue accent under white text (#0e76fd, 4.2:1) becomes Kiosk's primary stone-900, and its grey
 * secondary and dim text (#8a8e8e on white, 3.3:1: the dialog's "Installed" and "Popular" headings)
 * becomes stone-600 (7.6:1).
 */
const base = lightTheme({ borderRadius: "medium", accentColor: "#1c1917", accentColorForeground: "#ffffff" });
const theme = {
  ...base,
  colors: { ...base.colors, modalTextSecondary: "#57534e", modalTextDim: "#57534e" },
};

export function WalletProviders({ chainConfig, cookie, children }: WalletProvidersProps) {
  // Created once per mount, as in the wagmi Next template: a module-level config would be shared
  // between requests on the server and could not take the chain from props.
  const [config] = useState(() => getConfig(chainConfig));
  const [initialState] = useState(() =>
    cookieToInitialState(config, cookie ?? (typeof document === "undefined" ? undefined : document.cookie)),
  );
  const [queryClient] = useState(() => new QueryClient());

  return (
    <WagmiProvider config={config} initialState={initialState}>
      <QueryClientProvider client={queryClient}>
        <RainbowKitProvider
          appInfo={{ appName: "Kiosk" }}
          initialChain={config.chains[0]}
          modalSize="compact"
          theme={theme}
        >
          {children}
        </RainbowKitProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}

export default WalletProviders;
