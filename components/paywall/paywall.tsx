"use client";
// Loaded on demand by UnlockButton: the wallet stack around the unlock flow. Mounted on intent
// (before the click) with no first answer: the providers start (wagmi reconnects a wallet this
// browser connected before) and nothing is shown until the click brings the 402.
import { WalletProviders } from "@/components/wallet/wallet-providers";
import type { FirstAnswer, PaywallProps } from "./types";
import { UnlockFlow } from "./unlock-flow";

export default function Paywall({
  firstAnswer,
  ...props
}: PaywallProps & { firstAnswer: FirstAnswer | null }) {
  return (
    <WalletProviders chainConfig={props.chainConfig}>
      {firstAnswer ? <UnlockFlow {...props} firstAnswer={firstAnswer} /> : null}
    </WalletProviders>
  );
}
