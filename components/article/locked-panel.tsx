import type { ReactNode } from "react";
import { RegularPrice } from "@/components/ui/regular-price";
import { PAYWALL_CLASS } from "@/lib/content/seo";

/**
 * What a reader without access sees where the body would be. `children` goes into #unlock-slot,
 * where the paywall's client-side Unlock button mounts; the server never puts the body here.
 */
export function LockedPanel({
  price,
  regularPrice,
  access,
  apiPath,
  children,
}: {
  /** "$0.05" */
  price: string;
  /** While a promotion runs: the regular price, shown struck through. */
  regularPrice?: string;
  /** "read for 30 days" */
  access: string;
  /** The article's paid API route, shown to people who pay from a script. */
  apiPath: string;
  children?: ReactNode;
}) {
  return (
    <section
      data-testid="locked-panel"
      aria-label="This article is locked"
      className={`${PAYWALL_CLASS} relative mt-10 rounded-xl border border-stone-200 bg-white p-6 shadow-sm sm:p-8`}
    >
      <div
        aria-hidden
        className="pointer-events-none absolute inset-x-0 -top-24 h-24 bg-linear-to-b from-stone-50/0 to-stone-50"
      />
      <h2 className="text-lg font-semibold text-stone-900">
        {`Keep reading for ${price}`}
        {regularPrice ? " " : null}
        <RegularPrice display={regularPrice} />
      </h2>
      <p className="mt-2 text-sm leading-6 text-stone-600">
        One payment in USDC, straight to the publisher; {access}. No account, no subscription, and you are
        only charged once the article is delivered.
      </p>
      <div id="unlock-slot" className="mt-5">
        {children}
      </div>
      <p className="mt-5 text-xs text-stone-500">
        From a script or an agent: <code className="font-mono">GET {apiPath}</code> answers{" "}
        <code className="font-mono">402 Payment Required</code> with the price; any x402 client can pay it.
      </p>
    </section>
  );
}
