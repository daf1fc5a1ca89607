"use client";
// The payout address on the profile page. Changing it needs the account wallet's signature, so
// the wallet stack loads here (in the browser only), as it does on the sign-in panel.
import dynamic from "next/dynamic";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import type { PayoutChangeTarget } from "./payout-change-form";

const PayoutChangeForm = dynamic(() => import("./payout-change-form"), {
  ssr: false,
  loading: () => <p className="text-sm text-stone-500">Loading wallets…</p>,
});

export function PayoutPanel(props: { chainConfig: WalletChainConfig; target: PayoutChangeTarget }) {
  return (
    <section
      data-testid="payout-panel"
      className="space-y-4 rounded-xl border border-stone-200 bg-white p-6 shadow-sm"
    >
      <div>
        <h2 className="text-lg font-semibold text-stone-900">Payout address</h2>
        <p className="mt-1 text-sm text-stone-600">
          Readers&apos; USDC goes to{" "}
          <span className="font-mono" data-testid="payout-current">
            {props.target.payTo}
          </span>
          . A new address applies to new payments, and only your account wallet can confirm it: your wallet
          asks you to sign a message naming this site and the new address (no transaction, nothing to pay).
        </p>
      </div>
      <PayoutChangeForm chainConfig={props.chainConfig} target={props.target} />
    </section>
  );
}
