"use client";
// Refunding a sale from the studio: the publisher's connected wallet sends the sale's amount of
// USDC back to the payer (a plain `transfer`), then POST /api/studio/sales/:id/refund hands Kiosk
// the hash, which it checks on chain before revoking anything; 202 means "not confirmed yet", so
// the flow asks again until it is. The hash is kept in localStorage from the moment the wallet
// returns it, so a reload or a second click asks about the same transaction instead of sending
// the money twice. Loaded only by RefundButton.
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { erc20Abi } from "viem";
import { useAccount, useConfig } from "wagmi";
import { writeContract } from "wagmi/actions";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { WalletProviders } from "@/components/wallet/wallet-providers";
import { Button } from "@/components/ui/button";
import { studioApi } from "./api-client";
import { Notice } from "./fields";

export type RefundTarget = {
  saleId: number;
  payer: `0x${string}`;
  amountAtomic: string;
  amountDisplay: string;
  usdc: `0x${string}`;
  /** The publisher's addresses a refund may be sent from (payout address, studio wallet). */
  senders: string[];
  /** A refund already handed to Kiosk and waiting for the chain. */
  pendingTx: `0x${string}` | null;
};

type Phase =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "confirming"; txHash: `0x${string}`; note: string | null }
  | { kind: "refunded"; txHash: `0x${string}` }
  | { kind: "error"; message: string };

type RefundAnswer = { refund: { status: "refunded" | "pending"; txHash: `0x${string}` }; message?: string };

const POLL_MS = 2_000;
const POLL_FOR_MS = 10 * 60_000;
const storageKey = (saleId: number) => `kiosk-refund-${saleId}`;

export default function RefundFlow(props: { chainConfig: WalletChainConfig; target: RefundTarget }) {
  return (
    <WalletProviders chainConfig={props.chainConfig}>
      <Flow chainId={props.chainConfig.chainId} target={props.target} />
    </WalletProviders>
  );
}

function Flow({ chainId, target }: { chainId: number; target: RefundTarget }) {
  const config = useConfig();
  const { address, isConnected } = useAccount();
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  // One transfer per click, whatever the click rate: a ref, because state lags a render behind.
  const busy = useRef(false);
  const live = useRef(true);
  const canSend = !!address && target.senders.some((s) => s.toLowerCase() === address.toLowerCase());

  async function confirm(txHash: `0x${string}`) {
    setPhase({ kind: "confirming", txHash, note: null });
    const until = Date.now() + POLL_FOR_MS;
    while (live.current) {
      const result = await studioApi<RefundAnswer>("POST", `/api/studio/sales/${target.saleId}/refund`, {
        txHash,
        amount: target.amountAtomic,
      });
      if (!live.current) return;
      if (!result.ok) {
        // Refused for good (another transaction is needed) or already refunded: forget this hash.
        if (result.status === 409 || result.status === 422)
          localStorage.removeItem(storageKey(target.saleId));
        setPhase({ kind: "error", message: result.message });
        return;
      }
      if (result.data.refund.status === "refunded") {
        localStorage.removeItem(storageKey(target.saleId));
        setPhase({ kind: "refunded", txHash });
        router.refresh();
        return;
      }
      if (Date.now() > until) {
        setPhase({
          kind: "error",
          message: "The refund is still not confirmed; it stays pending. Check it again later.",
        });
        return;
      }
      setPhase({ kind: "confirming", txHash, note: result.data.message ?? null });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  useEffect(() => {
    live.current = true;
    const known =
      target.pendingTx ?? (localStorage.getItem(storageKey(target.saleId)) as `0x${string}` | null);
    const timer = known ? setTimeout(() => void confirm(known), 0) : undefined;
    return () => {
      clearTimeout(timer);
      live.current = false;
    };
    // Once per mount: what was already sent is asked about, never sent again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function send() {
    if (busy.current || !address) return;
    busy.current = true;
    try {
      setPhase({ kind: "sending" });
      let txHash: `0x${string}`;
      try {
        txHash = await writeContract(config, {
          address: target.usdc,
          abi: erc20Abi,
          functionName: "transfer",
          args: [target.payer, BigInt(target.amountAtomic)],
          chainId,
        });
      } catch (error) {
        const code =
          (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
          (error as { code?: unknown }).code;
        setPhase({
          kind: "error",
          message:
            code === 4001
              ? "You declined the transaction; nothing was sent and the sale stands."
              : "Your wallet could not send the refund; nothing was recorded.",
        });
        return;
      }
      localStorage.setItem(storageKey(target.saleId), txHash);
      await confirm(txHash);
    } finally {
      busy.current = false;
    }
  }

  if (phase.kind === "refunded") {
    return (
      <p className="text-xs font-medium text-emerald-800" data-testid="refund-done">
        Refunded
      </p>
    );
  }
  if (phase.kind === "confirming") {
    return (
      <p className="text-xs text-stone-600" data-testid="refund-confirming" role="status">
        Checking the refund on chain…{phase.note ? ` ${phase.note}` : ""}
      </p>
    );
  }
  return (
    <div className="space-y-2" data-testid="refund-flow">
      <ConnectButton showBalance={false} chainStatus="none" accountStatus="address" label="Connect wallet" />
      {isConnected && !canSend && (
        <Notice tone="error">
          Connect your payout wallet or the wallet you signed in with: a refund must come from one of them.
        </Notice>
      )}
      {phase.kind === "error" && <Notice tone="error">{phase.message}</Notice>}
      {isConnected && canSend && (
        <Button
          type="button"
          onClick={() => void send()}
          disabled={phase.kind === "sending"}
          data-testid="refund-send"
        >
          {phase.kind === "sending"
            ? "Check your wallet…"
            : `Send ${target.amountDisplay} back to ${target.payer.slice(0, 6)}…${target.payer.slice(-4)}`}
        </Button>
      )}
    </div>
  );
}
