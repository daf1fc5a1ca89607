"use client";
// The only paywall code in the article page's first load: a button. wagmi, RainbowKit, viem and
// the x402 client arrive with ./paywall, on the reader's intent:
// - the paywall in view while the browser is idle downloads the module (nothing runs);
// - a pointer over Unlock, a touch or keyboard focus also mounts it, so wagmi reconnects a wallet
//   connected on an earlier visit before the click (the click then goes straight to Confirm);
// - the click fetches the 402 and shows the flow.
// A free article renders no UnlockButton and so ships no wallet JavaScript.
import { lazy, Suspense, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { PREFETCH_MARK, type FirstAnswer, type PaywallProps } from "./types";

const loadPaywall = () => import("./paywall");
// React.lazy rather than next/dynamic: the fallback depends on whether the reader clicked (a
// warm-up mount shows nothing), and next/dynamic's loading component takes no props. The
// component is only ever rendered after hydration, so the server never touches it.
const Paywall = lazy(loadPaywall);

const noSubscription = () => () => undefined;

/** How long an idle browser may wait before the in-view prefetch runs anyway. */
const IDLE_TIMEOUT_MS = 2_000;

export function UnlockButton(props: PaywallProps) {
  const [firstAnswer, setFirstAnswer] = useState<FirstAnswer | null>(null);
  const [warm, setWarm] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // false in the server HTML and until hydration: a click before React is listening would be lost.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  useEffect(() => prefetchWhenSeen(button.current), []);

  const mount = () => {
    prefetch();
    setWarm(true);
  };
  return (
    <>
      {firstAnswer ? null : (
        <button
          ref={button}
          type="button"
          data-testid="unlock-button"
          disabled={!hydrated}
          onPointerEnter={mount}
          onTouchStart={mount}
          onFocus={mount}
          onClick={() =>
            // Never rejects: a network error becomes null, which the paywall reports.
            setFirstAnswer(fetch(props.apiPath, { cache: "no-store" }).catch(() => null))
          }
          className="inline-flex items-center gap-2 rounded-lg bg-stone-900 px-5 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-stone-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:opacity-60"
        >
          {`Unlock for ${props.price.display}`}
        </button>
      )}
      {warm || firstAnswer ? (
        <Suspense
          fallback={
            firstAnswer ? (
              <p role="status" aria-live="polite" className="text-sm text-stone-600">
                Loading the wallet…
              </p>
            ) : null
          }
        >
          <Paywall {...props} firstAnswer={firstAnswer} />
        </Suspense>
      ) : null}
    </>
  );
}

let prefetched = false;

function prefetch() {
  if (prefetched) return;
  prefetched = true;
  performance.mark(PREFETCH_MARK.started);
  void loadPaywall().then(
    () => performance.mark(PREFETCH_MARK.loaded),
    () => {
      prefetched = false; // a failed chunk is tried again on the next intent, and reported on click
    },
  );
}

/** Downloads the paywall module once the button is on screen and the browser has nothing to do. */
function prefetchWhenSeen(target: Element | null): (() => void) | undefined {
  if (!target || typeof IntersectionObserver === "undefined") return undefined;
  let idle: number | null = null;
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    idle =
      typeof requestIdleCallback === "function"
        ? requestIdleCallback(prefetch, { timeout: IDLE_TIMEOUT_MS })
        : window.setTimeout(prefetch, IDLE_TIMEOUT_MS);
  });
  observer.observe(target);
  return () => {
    observer.disconnect();
    if (idle === null) return;
    if (typeof cancelIdleCallback === "function") cancelIdleCallback(idle);
    else window.clearTimeout(idle);
  };
}
