"use client";
// The paywall's question "is the connected wallet already an owner?" (ownership.ts), asked of
// GET /api/reader/holds once a wallet is connected and again after it signs in as a reader
// (POST /api/reader/nonce, /api/reader/verify: the same sign-in as "Restore purchases"). The page
// is not refreshed on sign-in: the paywall shows "Restore access", and that click reloads it.
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useEffect, useState } from "react";
import { useSiweSignIn } from "@/components/wallet/use-siwe-sign-in";
import { holdsPath, ownershipFrom, type Ownership } from "./ownership";

const READER_SIGN_IN = { nonce: "/api/reader/nonce", verify: "/api/reader/verify" };

export function useOwnership(resourceKey: string, address: `0x${string}` | undefined) {
  const { openConnectModal } = useConnectModal();
  // The answer is kept with the address and the round it was asked for, so a stale one never shows.
  const [answer, setAnswer] = useState<{ address: string; round: number; ownership: Ownership } | null>(null);
  const [round, setRound] = useState(0);
  const siwe = useSiweSignIn(READER_SIGN_IN, () => setRound((n) => n + 1));
  const [signInOnConnect, setSignInOnConnect] = useState(false);

  useEffect(() => {
    if (!address) return;
    let live = true;
    void fetch(holdsPath(resourceKey), { cache: "no-store", credentials: "same-origin" })
      .then(async (res) => ownershipFrom(res.status, await res.json().catch(() => null), address))
      .catch((): Ownership => ({ kind: "unknown" }))
      .then((ownership) => {
        if (live) setAnswer({ address, round, ownership });
      });
    return () => {
      live = false;
    };
  }, [resourceKey, address, round]);

  // "Sign in to restore" pressed before a wallet was connected: sign once it is.
  useEffect(() => {
    if (!signInOnConnect || !address) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- consumes a one-shot request made before connecting
    setSignInOnConnect(false);
    void siwe.signIn();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- signIn is new each render; the flag gates this
  }, [signInOnConnect, address]);

  function signIn() {
    if (address) return void siwe.signIn();
    setSignInOnConnect(true);
    openConnectModal?.();
  }

  // No wallet connected: nothing is known, but signing in (after connecting) would tell.
  let ownership: Ownership = !address
    ? { kind: "unproven", signingIn: false, error: null }
    : answer?.address === address && answer.round === round
      ? answer.ownership
      : { kind: "unknown" };
  if (ownership.kind === "unproven" || siwe.busy || siwe.error) {
    ownership = { kind: "unproven", signingIn: siwe.busy, error: siwe.error };
  }
  return { ownership, signIn };
}
