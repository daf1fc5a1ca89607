"use client";
// The studio's sign-in: connect a wallet (RainbowKit, through the shared WalletProviders), then
// sign one EIP-4361 message. The server names the domain, URI, chain and nonce to sign (from
// POST /api/auth/nonce) and checks them all again in POST /api/auth/verify, which sets the
// session cookie. Loaded only by SignInPanel, so no other studio page ships wallet code.
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createSiweMessage } from "viem/siwe";
import { useAccount, useSignMessage } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { WalletProviders } from "@/components/wallet/wallet-providers";
import { Button } from "@/components/ui/button";
import { studioApi } from "./api-client";
import { Notice } from "./fields";

type NonceResponse = {
  nonce: string;
  expiresAt: string;
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
};

export default function WalletSignIn({ chainConfig }: { chainConfig: WalletChainConfig }) {
  return (
    <WalletProviders chainConfig={chainConfig}>
      <SignInFlow />
    </WalletProviders>
  );
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

function SignInFlow() {
  const { address, isConnected } = useAccount();
  const { signMessageAsync } = useSignMessage();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    if (!address) return;
    setBusy(true);
    setError(null);
    try {
      const nonce = await studioApi<NonceResponse>("POST", "/api/auth/nonce");
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
      const verified = await studioApi<{ wallet: string }>("POST", "/api/auth/verify", {
        message,
        signature,
      });
      if (!verified.ok) return setError(verified.message);
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <ConnectButton showBalance={false} chainStatus="none" accountStatus="address" label="Connect wallet" />
      {isConnected && address && (
        <div className="space-y-2">
          <Button onClick={signIn} disabled={busy} data-testid="studio-sign-in">
            {busy ? "Check your wallet…" : `Sign in as ${short(address)}`}
          </Button>
          <p className="text-xs text-stone-500">
            Your wallet shows a message naming this site; signing it costs nothing and sends no transaction.
          </p>
        </div>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}
