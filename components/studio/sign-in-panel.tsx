"use client";
// Where a signed-out visitor lands in the studio. The wallet stack (wagmi, RainbowKit) loads here
// and only here, in the browser (pages that never sign in ship no wallet JavaScript).
import dynamic from "next/dynamic";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";

const WalletSignIn = dynamic(() => import("./wallet-sign-in"), {
  ssr: false,
  loading: () => <p className="text-sm text-stone-500">Loading wallets…</p>,
});

export function SignInPanel({ chainConfig }: { chainConfig: WalletChainConfig }) {
  return (
    <section
      data-testid="studio-sign-in-panel"
      className="rounded-xl border border-stone-200 bg-white p-6 shadow-sm sm:p-8"
    >
      <h2 className="text-lg font-semibold text-stone-900">Sign in with your wallet</h2>
      <p className="mt-2 mb-5 text-sm leading-6 text-stone-600">
        The studio knows publishers by their wallet: connect it, then sign a one-line message (Sign-In with
        Ethereum). No password, no email, no transaction.
      </p>
      <WalletSignIn chainConfig={chainConfig} />
    </section>
  );
}
