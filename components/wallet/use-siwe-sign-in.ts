"use client";
// One Sign-In with Ethereum round, for the studio and for readers restoring purchases: ask the
// server what to sign (nonce, domain, URI, chain, statement), have the connected wallet sign it,
// send it back. The server checks every field again and sets its session cookie.
import { useState } from "react";
import { createSiweMessage } from "viem/siwe";
import { useAccount, useSignMessage } from "wagmi";
import { studioApi } from "@/components/studio/api-client";

type NonceResponse = {
  nonce: string;
  expiresAt: string;
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
};

export function useSiweSignIn(paths: { nonce: string; verify: string }, onSignedIn: () => void) {
  const { address } = useAccount();
  const { signMessageAsync } = useSignMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    if (!address) return;
    setBusy(true);
    setError(null);
    try {
      const nonce = await studioApi<NonceResponse>("POST", paths.nonce);
      if (!nonce.ok) return setError(nonce.message);
      const message = createSiweMessage({
        address,
        domain: nonce.data.domain,
        uri: nonce.data.uri,
        chainId: nonce.data.chainId,
        nonce: nonce.data.nonce,
        statement: nonce.data.statement,
        issuedAt: new Date(),
        expirationTime: new Date(nonce.data.expiresAt),
        version: "1",
      });
      let signature: `0x${string}`;
      try {
        signature = await signMessageAsync({ message, account: address });
      } catch (err) {
        const code =
          (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
          (err as { code?: unknown }).code;
        return setError(
          code === 4001
            ? "You declined the signature; nothing happened."
            : "Your wallet could not sign the message.",
        );
      }
      const verified = await studioApi<{ wallet: string }>("POST", paths.verify, { message, signature });
      if (!verified.ok) return setError(verified.message);
      onSignedIn();
    } finally {
      setBusy(false);
    }
  }

  return { signIn, busy, error };
}
