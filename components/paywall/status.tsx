"use client";
// Where the paywall says what is happening. Two live regions that are always in the page (a
// region added together with its text is often not read out): progress and outcomes go to the
// polite status region, so screen readers hear each step ("Waiting for your signature", "Settling
// on chain") without losing their place; errors go to the alert region, read out at once. Every
// state is spelled out in words and marked by an icon as well as its colour, and the step list
// marks progress with text.
import type { ReactNode } from "react";
import { linkClass } from "@/components/ui/button";
import { shortHash } from "./messages";

export type StatusTone = "info" | "progress" | "success" | "error";

export type StatusView = {
  tone: StatusTone;
  title: string;
  detail?: ReactNode;
  hint?: ReactNode;
};

const toneClass: Record<StatusTone, string> = {
  info: "border-stone-200 bg-stone-50 text-stone-800",
  progress: "border-sky-200 bg-sky-50 text-sky-950",
  success: "border-emerald-200 bg-emerald-50 text-emerald-950",
  error: "border-rose-200 bg-rose-50 text-rose-950",
};

/** Heard before the title; the icon beside it says the same to the eye. */
const toneWord: Record<StatusTone, string> = {
  info: "Note: ",
  progress: "In progress: ",
  success: "Done: ",
  error: "Problem: ",
};

export function PaywallStatus({ view }: { view: StatusView }) {
  const body = (
    <>
      <p
        className="flex items-start gap-2 font-semibold"
        data-testid={view.tone === "error" ? "paywall-error" : undefined}
      >
        <ToneIcon tone={view.tone} />
        <span>
          <span className="sr-only">{toneWord[view.tone]}</span>
          {view.title}
        </span>
      </p>
      {view.detail && <div className="mt-1">{view.detail}</div>}
      {view.hint && <div className="mt-1 text-[0.8125rem] opacity-90">{view.hint}</div>}
    </>
  );
  return (
    <div
      data-testid="paywall-status"
      data-tone={view.tone}
      className={`rounded-lg border px-4 py-3 text-sm leading-6 ${toneClass[view.tone]}`}
    >
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="paywall-live">
        {view.tone === "error" ? null : body}
      </div>
      <div role="alert" aria-atomic="true" data-testid="paywall-alert">
        {view.tone === "error" ? body : null}
      </div>
    </div>
  );
}

/** A shape per state, so the state never rests on colour alone. */
function ToneIcon({ tone }: { tone: StatusTone }) {
  if (tone === "progress") return <Spinner />;
  const glyph = { info: "i", success: "✓", error: "!" }[tone];
  return (
    <span
      aria-hidden
      data-testid="paywall-tone-icon"
      data-icon={tone}
      className="mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full border border-current text-xs leading-none font-bold"
    >
      {glyph}
    </span>
  );
}

/** Spins only for readers who have not asked for reduced motion; still, it stays a ring with a gap. */
function Spinner() {
  return (
    <span
      aria-hidden
      data-testid="paywall-spinner"
      data-icon="progress"
      className="mt-1 inline-block size-4 shrink-0 rounded-full border-2 border-current border-t-transparent motion-safe:animate-spin"
    />
  );
}

export type Step = { label: string; state: "done" | "current" | "todo" };

/** "1. Connect (done) 2. Sign (current) …" — the order of the flow at a glance. */
export function Steps({ steps }: { steps: Step[] }) {
  return (
    <ol className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-stone-500" aria-label="Payment steps">
      {steps.map((step, i) => (
        <li
          key={step.label}
          aria-current={step.state === "current" ? "step" : undefined}
          className={
            step.state === "current"
              ? "font-semibold text-stone-900"
              : step.state === "done"
                ? "text-emerald-800"
                : ""
          }
        >
          {`${i + 1}. ${step.label}`}
          {step.state === "done" && (
            <span>
              {" "}
              ✓<span className="sr-only"> (done)</span>
            </span>
          )}
          {step.state === "current" && <span className="sr-only"> (current step)</span>}
        </li>
      ))}
    </ol>
  );
}

/**
 * The steps of a flow with `current` highlighted: the ones before it are done, and so is the last
 * ("done") once reached.
 */
export function stepList<Id extends string>(all: ReadonlyArray<readonly [Id, string]>, current: Id): Step[] {
  const at = all.findIndex(([id]) => id === current);
  return all.map(([id, label], i) => ({
    label,
    state: i < at || (id === "done" && i === at) ? "done" : i === at ? "current" : "todo",
  }));
}

/** A transaction hash, linked to the chain's explorer where it has one. */
export function TxLink({ hash, explorerTxUrl }: { hash: string; explorerTxUrl: string | null }) {
  return explorerTxUrl ? (
    <a
      className={`${linkClass} font-mono`}
      href={`${explorerTxUrl}${hash}`}
      target="_blank"
      rel="noopener noreferrer"
    >
      {shortHash(hash)}
    </a>
  ) : (
    <code className="font-mono break-all" title={hash}>
      {hash}
    </code>
  );
}

/** In case the refreshed page does not show the body (a blocked cookie, say), a plain reload. */
export function ReloadLink() {
  return (
    <button type="button" className={`${linkClass} text-sm`} onClick={() => window.location.reload()}>
      Not showing? Reload the page.
    </button>
  );
}
