// What the paywall shows on the gasless path, as a pure function of where the payment stands: the
// status line, the step list and which buttons to offer (the buttons' handlers are UnlockFlow's).
// Every state is one case of a switch that ends in a `never` check, so a new quote or action kind
// is a type error here until it has its wording.
import type { ReactNode } from "react";
import type { WalletNetwork } from "@/lib/wallet-chain-config";
import { describeError, shortHash } from "./messages";
import type { Ownership } from "./ownership";
import { ReloadLink, stepList, type StatusView, type Step } from "./status";
import type { Action, QuoteState } from "./use-gasless-payment";

export type GaslessState = {
  quote: QuoteState;
  action: Action;
  wallet: {
    connected: boolean;
    /** Connecting or reconnecting, or the connect dialog is open. */
    connecting: boolean;
    wrongChain: boolean;
    address: string | undefined;
  };
  /** Whether the connected wallet already owns the article (proven by a reader sign-in). */
  ownership: Ownership;
  network: WalletNetwork;
  chainName: string;
  /** What the 402 asks for (what gets signed), and what the page said when it was rendered. */
  terms: { price: string; access: string };
  pageTerms: { price: string; access: string };
  txLink: (hash: string) => ReactNode;
};

/** A button the view offers; UnlockFlow gives each `does` its handler. */
export type Control = {
  does:
    | "reload-page"
    | "switch-network"
    | "refresh"
    | "retry"
    | "another-wallet"
    | "connect"
    | "transfer"
    | "confirm"
    | "sign-in"
    | "restore";
  label: string;
  variant: "primary" | "secondary";
};

export type PaywallView = {
  status: StatusView;
  steps: Step[] | null;
  controls: Control[];
};

const GASLESS = [
  ["connect", "Connect"],
  ["network", "Network"],
  ["sign", "Sign"],
  ["settle", "Settle on chain"],
  ["done", "Read"],
] as const;
const steps = (current: (typeof GASLESS)[number][0]) => stepList(GASLESS, current);

export function gaslessView(s: GaslessState): PaywallView {
  switch (s.quote.kind) {
    case "loading":
      return { status: { tone: "progress", title: "Getting the price…" }, steps: null, controls: [] };
    case "failed":
      return {
        status: {
          tone: "error",
          title: "The price could not be loaded",
          detail: `${s.quote.message} Nothing was charged.`,
        },
        steps: null,
        controls: [{ does: "reload-page", label: "Reload the page", variant: "secondary" }],
      };
    case "unlocked":
      return {
        status: {
          tone: "success",
          title: "Already unlocked",
          detail: "You bought this article already (perhaps in another tab). Showing it now…",
        },
        steps: null,
        controls: [],
      };
    case "quote":
      return actionView(s);
    default: {
      const unreachable: never = s.quote;
      throw new Error(`unknown quote state ${JSON.stringify(unreachable)}`);
    }
  }
}

function actionView(s: GaslessState): PaywallView {
  const { action, chainName } = s;
  const ctx = { network: s.network, chainName, price: s.terms.price };
  switch (action.kind) {
    case "unlocked":
      return {
        status: {
          tone: "success",
          title: action.access === "paid" ? "Unlocked" : "Already unlocked",
          detail: (
            <>
              {action.txHash ? (
                <>Settled on chain in transaction {s.txLink(action.txHash)}. </>
              ) : (
                "Your wallet had already bought it, so nothing was charged. "
              )}
              Loading the article… <ReloadLink />
            </>
          ),
        },
        steps: steps("done"),
        controls: [],
      };
    case "error": {
      const text = describeError(action.error, ctx);
      const first: Control =
        action.error.kind === "wrong-network"
          ? { does: "switch-network", label: `Switch to ${chainName}`, variant: "primary" }
          : action.error.kind === "in-use"
            ? { does: "refresh", label: "Refresh", variant: "primary" }
            : { does: "retry", label: "Try again", variant: "primary" };
      return {
        status: { tone: "error", title: text.title, detail: text.detail, hint: text.hint },
        steps: null,
        controls:
          action.error.kind === "typed-data-unsupported"
            ? [
                { does: "transfer", label: "Pay with a transfer instead", variant: "primary" },
                { does: "another-wallet", label: "Use another wallet", variant: "secondary" },
              ]
            : action.error.kind === "insufficient-funds"
              ? [first, { does: "another-wallet", label: "Use another wallet", variant: "secondary" }]
              : [first],
      };
    }
    case "switching":
      return {
        status: {
          tone: "progress",
          title: "Switching network…",
          detail: `Approve the switch to ${chainName} in your wallet.`,
        },
        steps: steps("network"),
        controls: [],
      };
    case "signing":
      return {
        status: {
          tone: "progress",
          title: "Waiting for your signature…",
          detail: `Approve the USDC payment of ${s.terms.price} in your wallet. Signing costs no gas; nothing moves until the article is ready.`,
        },
        steps: steps("sign"),
        controls: [],
      };
    case "settling":
      return {
        status: {
          tone: "progress",
          title: "Settling on chain…",
          detail: "Your payment is being submitted; the transaction hash follows in a moment.",
        },
        steps: steps("settle"),
        controls: [],
      };
    case "idle":
      return idleView(s);
    default: {
      const unreachable: never = action;
      throw new Error(`unknown action ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The connected wallet signed in and holds an unexpired purchase: no price, no payment URI, only
 * the way back in (the page reloads with the reader session and opens). Both paths show this.
 */
export function restoreView(): PaywallView {
  return {
    status: {
      tone: "success",
      title: "Already yours",
      detail:
        "This wallet bought this article and its access has not run out. Restore access opens it here; nothing is paid again.",
    },
    steps: null,
    controls: [{ does: "restore", label: "Restore access", variant: "primary" }],
  };
}

/** The offer beside a price to a wallet that may have bought the article already. */
export function signInControl(ownership: Ownership): Control[] {
  return ownership.kind === "unproven" && !ownership.signingIn
    ? [{ does: "sign-in", label: "Already bought it? Sign in to restore", variant: "secondary" }]
    : [];
}

/** What a reader signing in (or failing to) is told under the price. */
export function signInHint(ownership: Ownership): string | undefined {
  if (ownership.kind !== "unproven") return undefined;
  if (ownership.signingIn)
    return "Sign the message in your wallet: it proves the wallet is yours, costs nothing and sends no transaction.";
  return ownership.error ?? undefined;
}

/** Nothing running: connect, switch network, or confirm. */
function idleView(s: GaslessState): PaywallView {
  const { wallet, chainName, terms, pageTerms } = s;
  if (s.ownership.kind === "owner") return restoreView();
  if (!wallet.connected) {
    return {
      status: wallet.connecting
        ? {
            tone: "progress",
            title: "Connecting…",
            detail: "Choose a wallet in the dialog and approve the connection.",
          }
        : {
            tone: "info",
            title: "Connect a wallet to pay",
            detail: "Any wallet holding USDC works. No account, no gas for the gasless payment.",
          },
      steps: steps("connect"),
      controls: [
        { does: "connect", label: "Connect a wallet", variant: "primary" },
        { does: "transfer", label: "Pay with a transfer (QR code)", variant: "secondary" },
      ],
    };
  }
  if (wallet.wrongChain) {
    const text = describeError(
      { kind: "wrong-network", detail: "" },
      { network: s.network, chainName, price: terms.price },
    );
    return {
      status: { tone: "error", title: text.title, detail: text.detail, hint: text.hint },
      steps: steps("network"),
      controls: [{ does: "switch-network", label: `Switch to ${chainName}`, variant: "primary" }],
    };
  }
  const changed = terms.price !== pageTerms.price || terms.access !== pageTerms.access;
  return {
    status: {
      tone: "info",
      title: "Ready to pay",
      detail: (
        <>
          <span className="block text-base font-semibold text-stone-900" data-testid="paywall-offer">
            {`${terms.price} · ${terms.access}`}
          </span>
          {changed && (
            <span className="block">{`The terms changed since this page loaded (it said ${pageTerms.price} · ${pageTerms.access}).`}</span>
          )}
          <span className="block">
            {"From "}
            <code className="font-mono" title={wallet.address}>
              {shortHash(wallet.address ?? "")}
            </code>
            {` on ${chainName}. You sign once; the site pays the network fee.`}
          </span>
        </>
      ),
      hint: signInHint(s.ownership),
    },
    steps: steps("sign"),
    controls: [
      { does: "confirm", label: `Confirm and pay ${terms.price}`, variant: "primary" },
      { does: "transfer", label: "Pay with a transfer instead", variant: "secondary" },
      ...signInControl(s.ownership),
    ],
  };
}
