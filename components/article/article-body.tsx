"use client";
// The full text of an article, as a region keyboard and screen-reader users can be taken to. When
// it replaces the paywall on this very page (the refresh after a payment, a restore, "already
// unlocked"), focus moves to it: the reader lands on what they paid for, not on the page's top,
// and a screen reader starts reading it. A page that loads with the body already in it (a reload,
// a link) leaves focus where the browser puts it.
import { useEffect, useRef, useState, type ReactNode } from "react";

/** The locked panel's slot for the paywall (components/article/locked-panel.tsx). */
const UNLOCK_SLOT_ID = "unlock-slot";

export function ArticleBody({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // Decided in the first client render, while the page's previous DOM is still there: during
  // hydration the slot is absent (the server sent the body), after an unlock it is still present.
  const [replacesPaywall] = useState(
    () => typeof document !== "undefined" && document.getElementById(UNLOCK_SLOT_ID) !== null,
  );
  useEffect(() => {
    // The paywall stood where the body now is, so there is nothing to scroll to.
    if (replacesPaywall) ref.current?.focus({ preventScroll: true });
  }, [replacesPaywall]);
  return (
    <div
      ref={ref}
      role="region"
      aria-label="Article text"
      tabIndex={-1}
      data-testid="article-body"
      className={`outline-none ${className ?? ""}`}
    >
      {children}
    </div>
  );
}
