"use client";
// The only paywall code in the article page's first load: a button. wagmi, RainbowKit, viem and
// the x402 client arrive with ./paywall, loaded on click (and prefetched on hover or focus), so a
// reader who never pays never downloads them (a free article ships no wallet JavaScript).
import dynamic from "next/dynamic";
import { useState, useSyncExternalStore } from "react";
import type { FirstAnswer, PaywallProps } from "./types";

const loadPaywall = () => import("./paywall");

const Paywall = dynamic(loadPaywall, {
  ssr: false,
  loading: () => (
    <p role="status" aria-live="polite" className="text-sm text-stone-600">
      Loading the wallet…
    </p>
  ),
});

const noSubscription = () => () => undefined;

export function UnlockButton(props: PaywallProps) {
  const [firstAnswer, setFirstAnswer] = useState<FirstAnswer | null>(null);
  // false in the server HTML and until hydration: a click before React is listening would be lost.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  if (firstAnswer) return <Paywall {...props} firstAnswer={firstAnswer} />;

  const prefetch = () => void loadPaywall().catch(() => undefined);
  return (
    <button
      type="button"
      data-testid="unlock-button"
      disabled={!hydrated}
      onPointerEnter={prefetch}
      onFocus={prefetch}
      onClick={() =>
        // Never rejects: a network error becomes null, which the paywall reports.
        setFirstAnswer(fetch(props.apiPath, { cache: "no-store" }).catch(() => null))
      }
      className="inline-flex items-center gap-2 rounded-lg bg-stone-900 px-5 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-stone-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:opacity-60"
    >
      {`Unlock for ${props.price.display}`}
    </button>
  );
}
