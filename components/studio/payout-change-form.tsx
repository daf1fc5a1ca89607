"use client";
// Moves the payout address: the connected account wallet signs payoutChangeMessage (the same
// text the server rebuilds and checks), then PATCH /api/studio/publisher carries the new address
// and the signature. Loaded only by PayoutPanel.
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useAccount, useSignMessage } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { WalletProviders } from "@/components/wallet/wallet-providers";
import { payoutChangeMessage } from "@/lib/studio/payout-message";
import { Button } from "@/components/ui/button";
import { studioApi } from "./api-client";
import { Field, inputClass, Notice } from "./fields";

export type PayoutChangeTarget = { publisherId: number; wallet: string; payTo: string };

export default function PayoutChangeForm(props: {
  chainConfig: WalletChainConfig;
  target: PayoutChangeTarget;
}) {
  return (
    <WalletProviders chainConfig={props.chainConfig}>
      <ChangeFlow chainId={props.chainConfig.chainId} target={props.target} />
    </WalletProviders>
  );
}

function ChangeFlow({ chainId, target }: { chainId: number; target: PayoutChangeTarget }) {
  const { address, isConnected } = useAccount();
  const { signMessageAsync } = useSignMessage();
  const router = useRouter();
  const [payTo, setPayTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const isAccount = address?.toLowerCase() === target.wallet.toLowerCase();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const next = payTo.trim();
    if (!/^0x[0-9a-fA-F]{40}$/.test(next)) {
      return setMessage({
        tone: "error",
        text: "Enter an address: 0x followed by 40 hexadecimal characters.",
      });
    }
    if (!address || !isAccount) return;
    setBusy(true);
    try {
      const issuedAt = new Date().toISOString();
      const text = payoutChangeMessage({
        domain: window.location.host,
        origin: window.location.origin,
        chainId,
        publisherId: target.publisherId,
        account: target.wallet,
        payTo: next,
        issuedAt,
      });
      let signature: `0x${string}`;
      try {
        signature = await signMessageAsync({ message: text, account: address });
      } catch (err) {
        const code =
          (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
          (err as { code?: unknown }).code;
        return setMessage({
          tone: "error",
          text:
            code === 4001
              ? "You declined the signature; the payout address is unchanged."
              : "Your wallet could not sign the confirmation.",
        });
      }
      const result = await studioApi("PATCH", "/api/studio/publisher", {
        payTo: next,
        confirmation: { issuedAt, signature },
      });
      if (!result.ok) return setMessage({ tone: "error", text: result.message });
      setPayTo("");
      setMessage({ tone: "success", text: "Payout address changed." });
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="payout-form">
      <Field label="New payout address" htmlFor="payout-new">
        <input
          id="payout-new"
          className={`${inputClass} font-mono`}
          value={payTo}
          placeholder="0x…"
          onChange={(e) => setPayTo(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      <ConnectButton showBalance={false} chainStatus="none" accountStatus="address" label="Connect wallet" />
      {isConnected && !isAccount && (
        <Notice tone="error">
          Connect the wallet you signed in with ({target.wallet}) to confirm a payout change.
        </Notice>
      )}
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <Button type="submit" disabled={busy || !isAccount} data-testid="payout-save">
        {busy ? "Check your wallet…" : "Sign and change payout address"}
      </Button>
    </form>
  );
}
