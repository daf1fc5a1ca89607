// "Dev wallet": a RainbowKit option offered only on the local anvil chain. It signs with a funded
// anvil reader key that the server hands over on the local chain only, so a developer can read,
// pay and unlock without installing a browser wallet or importing a key.
import type { Wallet } from "@rainbow-me/rainbowkit";
import type { Chain, EIP1193Provider } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createConnector, injected } from "wagmi";
import { createLocalWallet } from "./local-wallet";

export const DEV_WALLET_ID = "kioskDevWallet";

// A key on an amber tile, inline so the option costs no request.
const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#f59e0b"/>' +
      '<circle cx="12" cy="16" r="5" fill="none" stroke="#1f2937" stroke-width="2.5"/>' +
      '<path d="M17 16h10M23 16v4M26 16v3" stroke="#1f2937" stroke-width="2.5" stroke-linecap="round"/></svg>',
  );

/** The browser-side grant, so a reload keeps the dev wallet connected until it disconnects. */
function storedPermission(address: string) {
  const key = `kiosk.devWallet.granted.${address.toLowerCase()}`;
  let memory = false;
  return {
    get: () => {
      try {
        return window.localStorage.getItem(key) === "1";
      } catch {
        return memory;
      }
    },
    set: (granted: boolean) => {
      memory = granted;
      try {
        if (granted) window.localStorage.setItem(key, "1");
        else window.localStorage.removeItem(key);
      } catch {
        // Storage disabled (private mode): the grant lasts for this page only.
      }
    },
  };
}

export function devWallet({ privateKey, chain }: { privateKey: `0x${string}`; chain: Chain }): () => Wallet {
  return () => {
    // Created lazily, in the browser, once per config.
    let provider: EIP1193Provider | undefined;
    const getProvider = () => {
      if (typeof window === "undefined") return undefined;
      if (!provider) {
        const account = privateKeyToAccount(privateKey);
        provider = createLocalWallet({
          account,
          chains: [chain],
          permission: storedPermission(account.address),
        }) as unknown as EIP1193Provider;
      }
      return provider;
    };
    return {
      id: DEV_WALLET_ID,
      name: "Dev wallet",
      shortName: "Dev",
      iconUrl: ICON,
      iconBackground: "#f59e0b",
      installed: true,
      createConnector: (walletDetails) =>
        createConnector((config) => ({
          ...injected({
            target: () => ({
              id: DEV_WALLET_ID,
              name: "Dev wallet",
              icon: ICON,
              provider: () => getProvider(),
            }),
          })(config),
          ...walletDetails,
        })),
    };
  };
}
