"use client";
// "Restore purchases": the only reader sign-in code in a page's first load, a button. The wallet
// stack (wagmi, RainbowKit, viem) arrives with ./reader-sign-in, loaded on click (prefetched on
// hover or focus), so a reader who never restores downloads none of it.
import dynamic from "next/dynamic";
import { useState, useSyncExternalStore } from "react";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";

const loadSignIn = () => import("./reader-sign-in");

const ReaderSignIn = dynamic(loadSignIn, {
  ssr: false,
  loading: () => (
    <p role="status" aria-live="polite" className="text-sm text-stone-600">
      Loading the wallet…
    </p>
  ),
});

const noSubscription = () => () => undefined;

export function RestoreButton({ chainConfig }: { chainConfig: WalletChainConfig }) {
  const [open, setOpen] = useState(false);
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (open) return <ReaderSignIn chainConfig={chainConfig} />;
  const prefetch = () => void loadSignIn().catch(() => undefined);
  return (
    <button
      type="button"
      data-testid="restore-button"
      disabled={!hydrated}
      onPointerEnter={prefetch}
      onFocus={prefetch}
      onClick={() => setOpen(true)}
      className="inline-flex items-center gap-2 rounded-lg border border-stone-300 bg-white px-4 py-2 text-sm font-semibold text-stone-800 shadow-sm hover:bg-stone-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:opacity-60"
    >
      Restore purchases
    </button>
  );
}
