"use client";
// The paywall's face: one status line (aria-live), the step list and the buttons. What to show is
// decided by pure view models, gaslessView (gasless-view.tsx) and transferStatus
// (transfer-view.tsx); the mode and the payment hooks are useUnlockMode's. This wires the buttons
// to them and renders.
import { useEffect, useRef, type ReactNode } from "react";
import { accessLabel } from "@/components/article/access";
import { Button } from "@/components/ui/button";
import {
  gaslessView,
  restoreView,
  signInControl,
  signInHint,
  type Control,
  type PaywallView,
} from "./gasless-view";
import { PaywallStatus, Steps, TxLink, type Step, type StatusView } from "./status";
import { TransferControls, transferStatus } from "./transfer-view";
import type { Ownership } from "./ownership";
import type { PaywallFlowProps } from "./types";
import { useUnlockMode } from "./use-unlock-mode";

const TEST_IDS: Partial<Record<Control["does"], string>> = {
  confirm: "paywall-confirm",
  transfer: "pay-transfer",
  "sign-in": "paywall-sign-in",
  restore: "restore-access",
};

export function UnlockFlow(props: PaywallFlowProps) {
  const unlock = useUnlockMode(props);
  const { mode, gasless, transfer, connectModal, owner } = unlock;
  const { ownership } = owner;
  const { chain, account, connected, wrongChain, quoteState, quote } = gasless;

  function press(does: Control["does"]) {
    switch (does) {
      case "reload-page":
        return window.location.reload();
      case "switch-network":
        return void gasless.switchNetwork();
      case "refresh":
        return unlock.router.refresh();
      case "retry":
        return gasless.reset();
      case "another-wallet":
        return void gasless.switchToAnotherWallet();
      case "connect":
        return connectModal.openConnectModal?.();
      case "transfer":
        return unlock.startTransfer();
      case "confirm":
        return void gasless.pay();
      case "sign-in":
        return owner.signIn();
      case "restore":
        // The reader session is in this browser now: the page's next render mints the receipt.
        return unlock.router.refresh();
      default: {
        const unreachable: never = does;
        throw new Error(`no handler for ${String(unreachable)}`);
      }
    }
  }

  // The confirm step shows what the 402 asks for, which is what gets signed; the page's own
  // figures only differ if the publisher changed the price since the page was rendered.
  const pageTerms = { price: props.price.display, access: props.access };
  const terms = quote ? { price: quote.display, access: accessLabel(quote.accessWindowSeconds) } : pageTerms;
  const txLink = (hash: string) => <TxLink hash={hash} explorerTxUrl={props.explorerTxUrl} />;

  if (quoteState.kind === "quote" && mode !== "gasless") {
    const phase = transfer.phase;
    // An owner who has sent nothing sees no payment URI or QR code: only the way back in.
    if (ownership.kind === "owner" && (phase.kind === "idle" || (phase.kind === "error" && !phase.txHash))) {
      return (
        <Controls
          view={restoreView()}
          press={press}
          ownership="owner"
          modalOpen={connectModal.connectModalOpen}
        />
      );
    }
    // The transfer pays its quote (the price plus a few atomic units), so that is the amount shown.
    const ctx = {
      network: props.chainConfig.network,
      chainName: chain.name,
      price: quoteState.quote.transfer.display,
    };
    const t = transferStatus(phase, ctx, txLink, mode === "transfer-phone");
    const hint = mode === "transfer-phone" ? signInHint(ownership) : undefined;
    const waitingToConnect = unlock.pendingClaim && !connected && phase.kind === "idle";
    return (
      <Frame
        ownership={ownership.kind}
        modalOpen={connectModal.connectModalOpen}
        controlsKey={`transfer ${phase.kind} ${connected}`}
        steps={t.steps}
        status={
          waitingToConnect
            ? {
                tone: "progress",
                title: "Connecting…",
                detail: "Connect the wallet that sent the transfer; it signs the claim.",
              }
            : t.status
        }
      >
        <TransferControls
          phase={phase}
          fromPhone={mode === "transfer-phone"}
          quote={quoteState.quote}
          connected={connected}
          onClaim={unlock.claimPasted}
          onClaimAgain={(hash) => void transfer.claimPasted(hash)}
          onRetry={unlock.startTransfer}
          onBack={unlock.backToGasless}
        />
        {mode === "transfer-phone" && phase.kind === "idle" && (
          <ControlButtons controls={signInControl(ownership)} press={press} />
        )}
        {hint && <p className="text-sm text-stone-600">{hint}</p>}
      </Frame>
    );
  }

  const view = gaslessView({
    quote: quoteState,
    action: gasless.action,
    wallet: {
      connected,
      connecting:
        account.status === "connecting" || account.status === "reconnecting" || connectModal.connectModalOpen,
      wrongChain,
      address: account.address,
    },
    ownership,
    network: props.chainConfig.network,
    chainName: chain.name,
    terms,
    pageTerms,
    txLink,
  });
  return (
    <Controls
      view={view}
      press={press}
      ownership={ownership.kind}
      modalOpen={connectModal.connectModalOpen}
      connectReady={Boolean(connectModal.openConnectModal)}
    />
  );
}

function Controls({
  view,
  press,
  ownership,
  modalOpen,
  connectReady = true,
}: {
  view: PaywallView;
  press: (does: Control["does"]) => void;
  ownership: Ownership["kind"];
  modalOpen: boolean;
  connectReady?: boolean;
}) {
  return (
    <Frame
      steps={view.steps}
      status={view.status}
      ownership={ownership}
      modalOpen={modalOpen}
      controlsKey={view.controls.map((c) => c.does).join(" ")}
    >
      <ControlButtons controls={view.controls} press={press} connectReady={connectReady} />
    </Frame>
  );
}

function ControlButtons({
  controls,
  press,
  connectReady = true,
}: {
  controls: Control[];
  press: (does: Control["does"]) => void;
  connectReady?: boolean;
}) {
  if (controls.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {controls.map((c) => (
        <Button
          key={c.does}
          variant={c.variant}
          data-testid={TEST_IDS[c.does]}
          disabled={c.does === "connect" && !connectReady}
          onClick={() => press(c.does)}
        >
          {c.label}
        </Button>
      ))}
    </div>
  );
}

function Frame({
  steps,
  status,
  ownership,
  modalOpen,
  controlsKey,
  children,
}: {
  steps: Step[] | null;
  status: StatusView;
  /** What the paywall knows of the wallet's ownership, for tests to wait on. */
  ownership: Ownership["kind"];
  /** RainbowKit's connect dialog is open (it holds focus meanwhile). */
  modalOpen: boolean;
  /** Changes whenever the controls on offer change. */
  controlsKey: string;
  children: ReactNode;
}) {
  const frame = useRef<HTMLDivElement>(null);
  // Keyboard focus never falls back to the top of the page. The Unlock button that had it is gone
  // once the paywall shows, and so is a button once pressed (Confirm becomes "Waiting for your
  // signature"); RainbowKit's dialog hands focus back to what had it when it opened. Whenever focus
  // is lost that way (on <body>) or parked on this frame, it moves to the frame's first control:
  // Connect after Escape, Confirm once connected, Try again after an error. With no control to
  // offer, the frame itself holds it. Focus the reader put elsewhere stays where it is.
  useEffect(() => {
    if (modalOpen) return;
    // After the dialog's own clean-up has put focus back, which it does as it unmounts.
    const timer = window.setTimeout(() => {
      const el = frame.current;
      const active = document.activeElement;
      if (!el || (active && active !== document.body && active !== el)) return;
      const first = el.querySelector<HTMLElement>("button:not(:disabled), a[href], input:not(:disabled)");
      (first ?? el).focus();
    }, 0);
    return () => window.clearTimeout(timer);
  }, [modalOpen, status.title, status.tone, controlsKey]);
  return (
    <div
      ref={frame}
      tabIndex={-1}
      role="group"
      aria-label="Pay for this article"
      className="space-y-3 outline-none"
      data-testid="paywall"
      data-ownership={ownership}
    >
      {steps && <Steps steps={steps} />}
      <PaywallStatus view={status} />
      {children}
    </div>
  );
}
