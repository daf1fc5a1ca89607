"use client";
// The plain-transfer path as a hook: send an ordinary USDC `transfer` from the connected
// wallet, or take the hash of one sent from a phone; then have the sending wallet sign the claim
// (a hash alone is public, so it must never unlock) and poll POST /api/claims until confirmed.
import { useEffect, useRef, useState } from "react";
import { erc20Abi } from "viem";
import { useConfig } from "wagmi";
import { readContract, signMessage, writeContract } from "wagmi/actions";
import { claimMessage } from "@/lib/payments/claim-message";
import { claimTransfer, type ClaimProgress } from "./claim-client";
import { classifyThrown, type PaywallError } from "./outcome";
import type { Quote } from "./quote";

export type TransferPhase =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "signing-claim"; txHash: `0x${string}` }
  | { kind: "confirming"; txHash: `0x${string}`; progress: ClaimProgress | null }
  | { kind: "unlocked"; txHash: `0x${string}` }
  | { kind: "error"; error: PaywallError; txHash: `0x${string}` | null };

export function useTransfer(p: {
  quote: Quote | null;
  apiPath: string;
  resourceKey: string;
  chainId: number;
  onUnlocked: (txHash: `0x${string}`) => void;
}) {
  const config = useConfig();
  const [phase, setPhase] = useState<TransferPhase>({ kind: "idle" });
  // One transfer per click, whatever the click rate: a ref, because state lags a render behind.
  const busy = useRef(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function claim(txHash: `0x${string}`): Promise<void> {
    const quote = p.quote;
    if (!quote) return;
    setPhase({ kind: "signing-claim", txHash });
    let signature: `0x${string}`;
    // The message names this site and the moment, so the signature is no good elsewhere or later.
    const issuedAt = new Date().toISOString();
    try {
      signature = await signMessage(config, {
        message: claimMessage({
          origin: window.location.origin,
          resource: p.resourceKey,
          txHash,
          chainId: p.chainId,
          issuedAt,
        }),
      });
    } catch (error) {
      setPhase({ kind: "error", error: classifyThrown(error), txHash });
      return;
    }
    setPhase({ kind: "confirming", txHash, progress: null });
    abort.current = new AbortController();
    try {
      const outcome = await claimTransfer({
        resource: p.apiPath,
        txHash,
        signature,
        quote: quote.transfer.token,
        issuedAt,
        signal: abort.current.signal,
        onProgress: (progress) => setPhase({ kind: "confirming", txHash, progress }),
      });
      if (outcome.kind === "unlocked") {
        setPhase({ kind: "unlocked", txHash });
        p.onUnlocked(txHash);
      } else {
        setPhase({ kind: "error", error: outcome.error, txHash });
      }
    } catch (error) {
      if (abort.current?.signal.aborted) return; // unmounted: nobody is watching
      setPhase({ kind: "error", error: classifyThrown(error), txHash });
    }
  }

  /** Sends `transfer(payTo, quoted amount)` on the asset the 402 named, then claims it. */
  async function sendFromWallet(from: `0x${string}`): Promise<void> {
    const quote = p.quote;
    if (!quote || busy.current) return;
    busy.current = true;
    try {
      setPhase({ kind: "sending" });
      const balance = await readContract(config, {
        address: quote.asset,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [from],
        chainId: p.chainId,
      }).catch(() => null);
      if (balance !== null && balance < quote.transfer.amount) {
        setPhase({ kind: "error", error: { kind: "insufficient-funds", balance }, txHash: null });
        return;
      }
      let txHash: `0x${string}`;
      try {
        txHash = await writeContract(config, {
          address: quote.asset,
          abi: erc20Abi,
          functionName: "transfer",
          args: [quote.payTo, quote.transfer.amount], // the quoted amount names this offer
          chainId: p.chainId,
        });
      } catch (error) {
        setPhase({ kind: "error", error: classifyThrown(error), txHash: null });
        return;
      }
      await claim(txHash);
    } finally {
      busy.current = false;
    }
  }

  /** A hash the reader pasted after paying from another wallet; the connected wallet must be its sender. */
  async function claimPasted(txHash: `0x${string}`): Promise<void> {
    if (busy.current) return;
    busy.current = true;
    try {
      await claim(txHash);
    } finally {
      busy.current = false;
    }
  }

  return { phase, sendFromWallet, claimPasted, reset: () => setPhase({ kind: "idle" }) };
}
