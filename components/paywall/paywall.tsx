"use client";
// Loaded on demand by UnlockButton: the wallet stack around the unlock flow.
import { WalletProviders } from "@/components/wallet/wallet-providers";
import type { PaywallProps } from "./types";
import type { FirstAnswer } from "./unlock-button";
import { UnlockFlow } from "./unlock-flow";

export default function Paywall({ firstAnswer, ...props }: PaywallProps & { firstAnswer: FirstAnswer }) {
  return (
    <WalletProviders chainConfig={props.chainConfig}>
      <UnlockFlow {...props} firstAnswer={firstAnswer} />
    </WalletProviders>
  );
}
