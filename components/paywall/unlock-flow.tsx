"use client";
// The paywall's face: one status line (aria-live), the step list and the buttons, for the gasless
// path (use-gasless-payment.ts) and the transfer path (use-transfer.ts, transfer-view.tsx).
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { accessLabel } from "@/components/article/access";
import { describeError, shortHash } from "./messages";
import { PaywallStatus, Steps, type Step, type StatusView } from "./status";
import { primaryButton, secondaryButton, linkClass } from "./styles";
import { PhoneTransfer, transferStatus } from "./transfer-view";
import type { PaywallFlowProps } from "./types";
import { useGaslessPayment } from "./use-gasless-payment";
import { useTransfer } from "./use-transfer";

/** gasless: sign an authorization. transfer-*: send USDC from this wallet, or from a phone (QR). */
type Mode = "gasless" | "transfer-wallet" | "transfer-phone";

export function UnlockFlow(props: PaywallFlowProps) {
  const router = useRouter();
  const { openConnectModal, connectModalOpen } = useConnectModal();
  const [mode, setMode] = useState<Mode>("gasless");
  const gasless = useGaslessPayment({
    firstAnswer: props.firstAnswer,
    apiPath: props.apiPath,
    active: mode === "gasless",
  });
  const { chain, account, connected, wrongChain, quoteState, quote, action } = gasless;

  const transfer = useTransfer({
    quote,
    apiPath: props.apiPath,
    resourceKey: props.resourceKey,
    chainId: chain.id,
    onUnlocked: () => router.refresh(),
  });

  // The phone path: a pasted hash waits here while the reader connects the wallet that sent it.
  const [pendingClaim, setPendingClaim] = useState<`0x${string}` | null>(null);
  function claimPasted(txHash: `0x${string}`) {
    if (account.status === "connected") {
      void transfer.claimPasted(txHash);
    } else {
      setPendingClaim(txHash);
      openConnectModal?.();
    }
  }

  useEffect(() => {
    if (!pendingClaim || !connected) return;
    const txHash = pendingClaim;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- consumes a one-shot request made before connecting
    setPendingClaim(null);
    void transfer.claimPasted(txHash);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- transfer's functions are new each render; pendingClaim gates this
  }, [pendingClaim, connected]);

  function startTransfer() {
    if (connected && !wrongChain && account.address) {
      setMode("transfer-wallet");
      void transfer.sendFromWallet(account.address);
    } else {
      setMode("transfer-phone");
    }
  }

  function backToGasless() {
    setMode("gasless");
    transfer.reset();
    gasless.reset();
  }

  // The confirm step shows what the 402 asks for, which is what gets signed; the page's own
  // figures only differ if the publisher changed the price since the page was rendered.
  const price = quote?.display ?? props.price.display;
  const access = quote ? accessLabel(quote.accessWindowSeconds) : props.access;
  const ctx = { network: props.chainConfig.network, chainName: chain.name, price };
  const offer = (
    <>
      <span className="block text-base font-semibold text-stone-900" data-testid="paywall-offer">
        {`${price} · ${access}`}
      </span>
      {(price !== props.price.display || access !== props.access) && (
        <span className="block">{`The terms changed since this page loaded (it said ${props.price.display} · ${props.access}).`}</span>
      )}
    </>
  );
  const txLink = (hash: string) =>
    props.explorerTxUrl ? (
      <a
        className={`${linkClass} font-mono`}
        href={`${props.explorerTxUrl}${hash}`}
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

  let status: StatusView;
  let steps: Step[] | null = null;
  let controls: ReactNode = null;

  if (quoteState.kind === "loading") {
    status = { tone: "progress", title: "Getting the price…" };
  } else if (quoteState.kind === "failed") {
    status = {
      tone: "error",
      title: "The price could not be loaded",
      detail: `${quoteState.message} Nothing was charged.`,
    };
    controls = (
      <button type="button" className={secondaryButton} onClick={() => window.location.reload()}>
        Reload the page
      </button>
    );
  } else if (quoteState.kind === "unlocked") {
    status = {
      tone: "success",
      title: "Already unlocked",
      detail: "You bought this article already (perhaps in another tab). Showing it now…",
    };
  } else if (mode !== "gasless") {
    const phase = transfer.phase;
    // The transfer pays its quote (the price plus a few atomic units), so that is the amount shown.
    const transferCtx = quoteState.quote ? { ...ctx, price: quoteState.quote.transfer.display } : ctx;
    const t = transferStatus(phase, transferCtx, txLink, mode === "transfer-phone");
    status = t.status;
    steps = t.steps;
    if (pendingClaim && !connected && phase.kind === "idle") {
      status = {
        tone: "progress",
        title: "Connecting…",
        detail: "Connect the wallet that sent the transfer; it signs the claim.",
      };
    }
    const sentHash = phase.kind === "error" ? phase.txHash : null;
    controls = (
      <>
        {mode === "transfer-phone" && (phase.kind === "idle" || (phase.kind === "error" && !sentHash)) && (
          <PhoneTransfer quote={quoteState.quote} connected={connected} onClaim={claimPasted} />
        )}
        {(phase.kind === "error" || mode === "transfer-phone") && (
          <div className="flex flex-wrap gap-2">
            {sentHash && (
              <button
                type="button"
                className={primaryButton}
                onClick={() => void transfer.claimPasted(sentHash)}
              >
                Claim again
              </button>
            )}
            {phase.kind === "error" && !sentHash && mode === "transfer-wallet" && (
              <button type="button" className={primaryButton} onClick={startTransfer}>
                Try the transfer again
              </button>
            )}
            <button type="button" className={secondaryButton} onClick={backToGasless}>
              Back to the gasless payment
            </button>
          </div>
        )}
      </>
    );
  } else if (action.kind === "unlocked") {
    status = {
      tone: "success",
      title: action.access === "paid" ? "Unlocked" : "Already unlocked",
      detail: (
        <>
          {action.txHash ? (
            <>Settled on chain in transaction {txLink(action.txHash)}. </>
          ) : (
            "Your wallet had already bought it, so nothing was charged. "
          )}
          Loading the article… <ReloadLink />
        </>
      ),
    };
    steps = gaslessSteps("done");
  } else if (action.kind === "error") {
    const text = describeError(action.error, ctx);
    status = { tone: "error", title: text.title, detail: text.detail, hint: text.hint };
    controls = (
      <div className="flex flex-wrap gap-2">
        {action.error.kind === "wrong-network" ? (
          <button type="button" className={primaryButton} onClick={() => void gasless.switchNetwork()}>
            {`Switch to ${chain.name}`}
          </button>
        ) : action.error.kind === "in-use" ? (
          <button type="button" className={primaryButton} onClick={() => router.refresh()}>
            Refresh
          </button>
        ) : (
          <button type="button" className={primaryButton} onClick={gasless.reset}>
            Try again
          </button>
        )}
        {action.error.kind === "insufficient-funds" && (
          <button
            type="button"
            className={secondaryButton}
            onClick={() => void gasless.switchToAnotherWallet()}
          >
            Use another wallet
          </button>
        )}
      </div>
    );
  } else if (action.kind === "switching") {
    status = {
      tone: "progress",
      title: "Switching network…",
      detail: `Approve the switch to ${chain.name} in your wallet.`,
    };
    steps = gaslessSteps("network");
  } else if (action.kind === "signing") {
    status = {
      tone: "progress",
      title: "Waiting for your signature…",
      detail: `Approve the USDC payment of ${price} in your wallet. Signing costs no gas; nothing moves until the article is ready.`,
    };
    steps = gaslessSteps("sign");
  } else if (action.kind === "settling") {
    status = {
      tone: "progress",
      title: "Settling on chain…",
      detail: "Your payment is being submitted; the transaction hash follows in a moment.",
    };
    steps = gaslessSteps("settle");
  } else if (!connected) {
    const busyConnecting = account.status === "connecting" || account.status === "reconnecting";
    status =
      busyConnecting || connectModalOpen
        ? {
            tone: "progress",
            title: "Connecting…",
            detail: "Choose a wallet in the dialog and approve the connection.",
          }
        : {
            tone: "info",
            title: "Connect a wallet to pay",
            detail: "Any wallet holding USDC works. No account, no gas for the gasless payment.",
          };
    steps = gaslessSteps("connect");
    controls = (
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={primaryButton}
          disabled={!openConnectModal}
          onClick={() => openConnectModal?.()}
        >
          Connect a wallet
        </button>
        <TransferButton onClick={startTransfer} label="Pay with a transfer (QR code)" />
      </div>
    );
  } else if (wrongChain) {
    const text = describeError({ kind: "wrong-network", detail: "" }, ctx);
    status = { tone: "error", title: text.title, detail: text.detail, hint: text.hint };
    steps = gaslessSteps("network");
    controls = (
      <button type="button" className={primaryButton} onClick={() => void gasless.switchNetwork()}>
        {`Switch to ${chain.name}`}
      </button>
    );
  } else {
    status = {
      tone: "info",
      title: "Ready to pay",
      detail: (
        <>
          {offer}
          <span className="block">
            {"From "}
            <code className="font-mono" title={account.address}>
              {shortHash(account.address ?? "")}
            </code>
            {` on ${chain.name}. You sign once; the site pays the network fee.`}
          </span>
        </>
      ),
    };
    steps = gaslessSteps("sign");
    controls = (
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          data-testid="paywall-confirm"
          className={primaryButton}
          onClick={() => void gasless.pay()}
        >
          {`Confirm and pay ${price}`}
        </button>
        <TransferButton onClick={startTransfer} label="Pay with a transfer instead" />
      </div>
    );
  }

  return (
    <div className="space-y-3" data-testid="paywall">
      {steps && <Steps steps={steps} />}
      <PaywallStatus view={status} />
      {controls}
    </div>
  );
}

/** In case the refreshed page does not show the body (a blocked cookie, say), a plain reload. */
function ReloadLink() {
  return (
    <button type="button" className={`${linkClass} text-sm`} onClick={() => window.location.reload()}>
      Not showing? Reload the page.
    </button>
  );
}

function TransferButton({ onClick, label }: { onClick: () => void; label: string }) {
  return (
    <button type="button" data-testid="pay-transfer" className={secondaryButton} onClick={onClick}>
      {label}
    </button>
  );
}

const GASLESS = [
  ["connect", "Connect"],
  ["network", "Network"],
  ["sign", "Sign"],
  ["settle", "Settle on chain"],
  ["done", "Read"],
] as const;

/** The step list with `current` highlighted; steps before it are done. */
function gaslessSteps(current: (typeof GASLESS)[number][0]): Step[] {
  const at = GASLESS.findIndex(([id]) => id === current);
  return GASLESS.map(([id, label], i) => ({
    label,
    state: i < at || (id === "done" && i === at) ? "done" : i === at ? "current" : "todo",
  }));
}
