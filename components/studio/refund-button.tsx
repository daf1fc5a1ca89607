"use client";
// A sale's Refund control in the studio's recent payments. The wallet stack loads only when the
// publisher clicks Refund (as on the payout form); a refund already sent and waiting for the chain
// is checked again without a wallet.
import dynamic from "next/dynamic";
import { useState } from "react";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { Button } from "@/components/ui/button";
import type { RefundTarget } from "./refund-flow";

const RefundFlow = dynamic(() => import("./refund-flow"), {
  ssr: false,
  loading: () => <p className="text-xs text-stone-500">Loading wallets…</p>,
});

export function RefundButton(props: { chainConfig: WalletChainConfig; target: RefundTarget }) {
  const [open, setOpen] = useState(false);
  if (open) return <RefundFlow chainConfig={props.chainConfig} target={props.target} />;
  return (
    <Button
      type="button"
      variant="secondary"
      onClick={() => setOpen(true)}
      data-testid="sale-refund"
      aria-label={`Refund ${props.target.amountDisplay} to ${props.target.payer}`}
    >
      {props.target.pendingTx ? "Check refund" : "Refund"}
    </Button>
  );
}
