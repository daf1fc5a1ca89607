// The words the reader sees for each outcome. Every error says whether money moved and what to
// do next; none relies on colour alone (the heading carries the meaning).
import { formatUsdc } from "@/lib/content/money";
import type { WalletNetwork } from "@/lib/wallet-chain-config";
import type { PaywallError } from "./outcome";

export type ErrorText = { title: string; detail: string; hint?: string };

export function describeError(
  error: PaywallError,
  ctx: { network: WalletNetwork; chainName: string; price: string },
): ErrorText {
  switch (error.kind) {
    case "rejected":
      return { title: "Signature rejected", detail: "You declined in your wallet. Nothing was charged." };
    case "typed-data-unsupported":
      return {
        title: "This wallet cannot sign the payment",
        detail:
          "Paying without gas needs a typed-data signature (EIP-712, eth_signTypedData_v4), which this wallet does not offer. Nothing was charged.",
        hint: "Pay with a plain USDC transfer instead (any wallet can send one), or connect a wallet that signs typed data.",
      };
    case "insufficient-funds": {
      // "0.02 USDC": the token, not dollars, is what the wallet holds.
      const balance =
        error.balance === null ? "less than that" : `${formatUsdc(error.balance).slice(1)} USDC`;
      return {
        title: "Not enough USDC",
        detail: `This article costs ${ctx.price} and the wallet holds ${balance} on ${ctx.chainName}. Nothing was charged.`,
        hint:
          ctx.network === "local"
            ? 'This is a local test chain: choose "Dev wallet" in the wallet list (it holds test USDC), or import one of the funded reader accounts listed under "Test accounts" in the README.'
            : `Add USDC on ${ctx.chainName} to this wallet, or connect another one, then try again.`,
      };
    }
    case "wrong-network":
      return {
        title: "Wrong network",
        detail: `Kiosk is paid on ${ctx.chainName}, and the wallet did not switch to it. Nothing was charged.`,
        hint: `Switch to ${ctx.chainName} in your wallet (or press "Switch network"), then try again.`,
      };
    case "settlement-failed":
      return {
        title: "The payment did not go through",
        detail: `${error.detail} Nothing was charged.`,
        hint: "You can try again.",
      };
    case "in-use":
      return {
        title: "Already being unlocked",
        detail: "Another tab is paying for this article with this wallet. Nothing more will be charged.",
        hint: "Refresh in a moment to read it.",
      };
    case "unavailable":
      return {
        title: "Payments are unavailable right now",
        detail: `${error.detail} Nothing was charged.`,
        hint: "Try again in a minute.",
      };
    case "may-have-settled":
      // Money may have moved: never "nothing was charged" here.
      return {
        title: error.txHash ? "Your payment went through" : "Your payment may have gone through",
        detail: error.detail,
        hint: "Try again: the same wallet unlocks the article without paying twice.",
      };
    case "transfer-refused":
      return { title: "The transfer does not unlock this article", detail: error.detail };
    case "unexpected":
      return {
        title: "Something went wrong",
        detail: error.detail || "The payment could not be completed.",
        // True because of entitlements: a wallet that did pay is served again without a charge.
        hint: "Try again: if the payment did go through, the same wallet unlocks the article without paying twice.",
      };
    default: {
      const unreachable: never = error;
      return unreachable;
    }
  }
}

/** "0x1234…abcd", for hashes in running text. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash;
}
