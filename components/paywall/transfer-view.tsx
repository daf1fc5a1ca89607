"use client";
// What the transfer path shows: its progress in words, and for a reader without a connected wallet
// the EIP-681 URI as a QR code and a link, plus a field for the hash of the transfer sent from a
// phone. The hash alone never unlocks: the sending wallet has to sign the claim.
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { describeError, type ErrorText } from "./messages";
import type { PaywallError } from "./outcome";
import type { Quote } from "./quote";
import { QrCode } from "./qr-code";
import { stepList, type StatusView, type Step } from "./status";
import type { TransferPhase } from "./use-transfer";

type Ctx = Parameters<typeof describeError>[1];

const STEPS = [
  ["send", "Send USDC"],
  ["claim", "Sign the claim"],
  ["confirm", "Confirmations"],
  ["done", "Read"],
] as const;

const steps = (current: (typeof STEPS)[number][0]) => stepList(STEPS, current);

export function transferStatus(
  phase: TransferPhase,
  ctx: Ctx,
  txLink: (hash: string) => ReactNode,
  fromPhone: boolean,
): { status: StatusView; steps: Step[] } {
  switch (phase.kind) {
    case "idle":
      return fromPhone
        ? {
            status: {
              tone: "info",
              title: "Pay with a transfer from your phone",
              detail: `Scan the code with a wallet on ${ctx.chainName}: it sends ${ctx.price} in USDC straight to the publisher. Then paste the transaction hash below.`,
            },
            steps: steps("send"),
          }
        : { status: { tone: "progress", title: "Preparing the transfer…" }, steps: steps("send") };
    case "sending":
      return {
        status: {
          tone: "progress",
          title: "Confirm the transfer in your wallet…",
          detail: `Your wallet sends ${ctx.price} in USDC to the publisher as an ordinary transfer; it pays a small network fee itself.`,
        },
        steps: steps("send"),
      };
    case "signing-claim":
      return {
        status: {
          tone: "progress",
          title: "Sign the claim…",
          detail: (
            <>
              Transfer {txLink(phase.txHash)} sent. A transaction hash is public, so the wallet that sent it
              signs a short message to prove the payment is yours. Signing is free.
            </>
          ),
        },
        steps: steps("claim"),
      };
    case "confirming": {
      const p = phase.progress;
      const title =
        p?.kind === "pending"
          ? `Waiting for confirmations (${p.confirmations}/${p.required})…`
          : p?.kind === "not-found"
            ? "Transaction not found yet; waiting for it to reach the chain…"
            : "Checking the transfer on chain…";
      return {
        status: { tone: "progress", title, detail: <>Transaction {txLink(phase.txHash)}.</> },
        steps: steps("confirm"),
      };
    }
    case "unlocked":
      return {
        status: {
          tone: "success",
          title: "Unlocked",
          detail: <>Paid by transfer {txLink(phase.txHash)}. Loading the article…</>,
        },
        steps: steps("done"),
      };
    case "error": {
      const text = transferErrorText(phase.error, phase.txHash !== null, ctx);
      return {
        status: {
          tone: "error",
          title: text.title,
          detail: phase.txHash ? (
            <>
              {text.detail} Transaction {txLink(phase.txHash)}.
            </>
          ) : (
            text.detail
          ),
          hint: text.hint,
        },
        steps: steps(phase.txHash ? "claim" : "send"),
      };
    }
    default: {
      const unreachable: never = phase;
      return unreachable;
    }
  }
}

/** Once a transfer is sent, money has moved: the words must never say "nothing was charged". */
export function transferErrorText(error: PaywallError, sent: boolean, ctx: Ctx): ErrorText {
  if (!sent) {
    return error.kind === "rejected"
      ? { title: "Transfer rejected", detail: "You declined the transfer in your wallet. Nothing was sent." }
      : describeError(error, ctx);
  }
  const again = "Claim again with the same transaction; you will not pay twice.";
  switch (error.kind) {
    case "rejected":
      return {
        title: "Claim not signed",
        detail:
          "Your transfer went through, but the article unlocks only when the sending wallet signs the claim. Signing is free.",
        hint: again,
      };
    case "transfer-refused":
      return { title: "The transfer does not unlock this article", detail: error.detail };
    case "unavailable":
      return { title: "Not confirmed yet", detail: error.detail, hint: again };
    default:
      return {
        title: describeError(error, ctx).title,
        detail: "Your transfer was sent, but the claim did not complete.",
        hint: again,
      };
  }
}

/**
 * The buttons under the transfer path's status: the phone form while nothing was sent, claiming a
 * sent transfer again, retrying a transfer that never left the wallet, and the way back.
 */
export function TransferControls({
  phase,
  fromPhone,
  quote,
  connected,
  onClaim,
  onClaimAgain,
  onRetry,
  onBack,
}: {
  phase: TransferPhase;
  fromPhone: boolean;
  quote: Quote;
  connected: boolean;
  onClaim: (txHash: `0x${string}`) => void;
  onClaimAgain: (txHash: `0x${string}`) => void;
  onRetry: () => void;
  onBack: () => void;
}) {
  const sentHash = phase.kind === "error" ? phase.txHash : null;
  return (
    <>
      {fromPhone && (phase.kind === "idle" || (phase.kind === "error" && !sentHash)) && (
        <PhoneTransfer quote={quote} connected={connected} onClaim={onClaim} />
      )}
      {(phase.kind === "error" || fromPhone) && (
        <div className="flex flex-wrap gap-2">
          {sentHash && <Button onClick={() => onClaimAgain(sentHash)}>Claim again</Button>}
          {phase.kind === "error" && !sentHash && !fromPhone && (
            <Button onClick={onRetry}>Try the transfer again</Button>
          )}
          <Button variant="secondary" onClick={onBack}>
            Back to the gasless payment
          </Button>
        </div>
      )}
    </>
  );
}

const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/** The phone path: QR code, copyable URI, and the pasted hash to claim with the sending wallet. */
export function PhoneTransfer({
  quote,
  connected,
  onClaim,
}: {
  quote: Quote;
  connected: boolean;
  onClaim: (txHash: `0x${string}`) => void;
}) {
  const inputId = useId();
  const [hash, setHash] = useState("");
  const [copied, setCopied] = useState(false);
  const valid = TX_HASH.test(hash.trim());

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(quote.paymentUri);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard permission: the link is selectable text anyway
    }
  };

  return (
    <div className="space-y-4 rounded-lg border border-stone-200 p-4">
      <div className="flex flex-col items-start gap-4 sm:flex-row">
        <QrCode
          value={quote.paymentUri}
          label={`QR code: pay ${quote.transfer.display} in USDC by transfer (EIP-681 payment link)`}
        />
        <div className="min-w-0 space-y-2 text-sm text-stone-700">
          <p>
            Send exactly <strong data-testid="transfer-amount">{quote.transfer.display}</strong> (the price
            plus a few millionths of a dollar that mark this purchase), or open this payment link in a wallet:
          </p>
          <a
            data-testid="payment-uri"
            href={quote.paymentUri}
            className="block font-mono text-xs break-all text-emerald-800 underline"
          >
            {quote.paymentUri}
          </a>
          <Button variant="secondary" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy link"}
          </Button>
        </div>
      </div>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) onClaim(hash.trim().toLowerCase() as `0x${string}`);
        }}
      >
        <label htmlFor={inputId} className="block text-sm font-medium text-stone-800">
          Paid already? Paste the transaction hash
        </label>
        <input
          id={inputId}
          data-testid="tx-hash-input"
          value={hash}
          onChange={(event) => setHash(event.target.value)}
          placeholder="0x…"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={hash !== "" && !valid}
          aria-describedby={`${inputId}-help`}
          className="w-full rounded-md border border-stone-300 px-3 py-2 font-mono text-xs"
        />
        <p id={`${inputId}-help`} className="text-xs text-stone-500">
          {hash !== "" && !valid
            ? "A transaction hash is 0x followed by 64 hexadecimal characters."
            : "Anyone can read a hash off the chain, so it unlocks nothing by itself: the wallet that sent the USDC signs a short, free message to claim it."}
        </p>
        <Button type="submit" data-testid="claim-transfer" disabled={!valid}>
          {connected ? "Claim with this wallet" : "Connect the sending wallet and claim"}
        </Button>
      </form>
    </div>
  );
}
