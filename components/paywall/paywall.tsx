"use client";
// Loaded on demand by UnlockButton: the wallet stack around the unlock flow.
import { WalletProviders } from "@/components/wallet/wallet-providers";
import type { PaywallFlowProps } from "./types";
import { UnlockFlow } from "./unlock-flow";

export default function Paywall({ firstAnswer, ...props }: PaywallFlowProps) {
  return (
    <WalletProviders chainConfig={props.chainConfig}>
      <UnlockFlow {...props} firstAnswer={firstAnswer} />
    </WalletProviders>
  );
}
