"use client";
// A reader restores purchases: connect the wallet that paid, sign one Sign-In with Ethereum
// message (POST /api/reader/nonce, then /api/reader/verify, which sets the reader session cookie),
// and the page reloads from the server: what the wallet holds opens, with no transaction.
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useAccount } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { WalletProviders } from "@/components/wallet/wallet-providers";
import { useSiweSignIn } from "@/components/wallet/use-siwe-sign-in";

const PATHS = { nonce: "/api/reader/nonce", verify: "/api/reader/verify" };

export default function ReaderSignIn({ chainConfig }: { chainConfig: WalletChainConfig }) {
  return (
    <WalletProviders chainConfig={chainConfig}>
      <Flow />
    </WalletProviders>
  );
}

function Flow() {
  const { address, isConnected } = useAccount();
  const router = useRouter();
  const { signIn, busy, error } = useSiweSignIn(PATHS, () => router.refresh());
  return (
    <div className="space-y-3">
      <ConnectButton showBalance={false} chainStatus="none" accountStatus="address" label="Connect wallet" />
      {isConnected && address && (
        <button
          type="button"
          data-testid="reader-sign-in"
          onClick={signIn}
          disabled={busy}
          className="rounded-lg bg-stone-900 px-4 py-2 text-sm font-semibold text-white hover:bg-stone-800 disabled:opacity-60"
        >
          {busy ? "Check your wallet…" : "Sign in to restore"}
        </button>
      )}
      <p className="text-xs text-stone-500">
        Your wallet shows a message naming this site; signing it costs nothing and sends no transaction.
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
