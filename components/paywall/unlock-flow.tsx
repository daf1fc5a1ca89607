"use client";
// The paywall's face: one status line (aria-live), the step list and the buttons. What to show is
// decided by pure view models, gaslessView (gasless-view.tsx) and transferStatus
// (transfer-view.tsx); the mode and the payment hooks are useUnlockMode's. This wires the buttons
// to them and renders.
import type { ReactNode } from "react";
import { accessLabel } from "@/components/article/access";
import { Button } from "@/components/ui/button";
import { gaslessView, type Control } from "./gasless-view";
import { PaywallStatus, Steps, TxLink, type Step, type StatusView } from "./status";
import { TransferControls, transferStatus } from "./transfer-view";
import type { PaywallFlowProps } from "./types";
import { useUnlockMode } from "./use-unlock-mode";

const TEST_IDS: Partial<Record<Control["does"], string>> = {
  confirm: "paywall-confirm",
  transfer: "pay-transfer",
};

export function UnlockFlow(props: PaywallFlowProps) {
  const unlock = useUnlockMode(props);
  const { mode, gasless, transfer, connectModal } = unlock;
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
    // The transfer pays its quote (the price plus a few atomic units), so that is the amount shown.
    const ctx = {
      network: props.chainConfig.network,
      chainName: chain.name,
      price: quoteState.quote.transfer.display,
    };
    const t = transferStatus(phase, ctx, txLink, mode === "transfer-phone");
    const waitingToConnect = unlock.pendingClaim && !connected && phase.kind === "idle";
    return (
      <Frame
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
    network: props.chainConfig.network,
    chainName: chain.name,
    terms,
    pageTerms,
    txLink,
  });
  return (
    <Frame steps={view.steps} status={view.status}>
      {view.controls.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {view.controls.map((c) => (
            <Button
              key={c.does}
              variant={c.variant}
              data-testid={TEST_IDS[c.does]}
              disabled={c.does === "connect" && !connectModal.openConnectModal}
              onClick={() => press(c.does)}
            >
              {c.label}
            </Button>
          ))}
        </div>
      )}
    </Frame>
  );
}

function Frame({
  steps,
  status,
  children,
}: {
  steps: Step[] | null;
  status: StatusView;
  children: ReactNode;
}) {
  return (
    <div className="space-y-3" data-testid="paywall">
      {steps && <Steps steps={steps} />}
      <PaywallStatus view={status} />
      {children}
    </div>
  );
}
