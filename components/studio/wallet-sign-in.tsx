"use client";
// The studio's sign-in: connect a wallet (RainbowKit, through the shared WalletProviders), then
// sign one EIP-4361 message. The server names the domain, URI, chain and nonce to sign (from
// POST /api/auth/nonce) and checks them all again in POST /api/auth/verify, which sets the
// session cookie. Loaded only by SignInPanel, so no other studio page ships wallet code.
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useAccount } from "wagmi";
import type { WalletChainConfig } from "@/lib/wallet-chain-config";
import { WalletProviders } from "@/components/wallet/wallet-providers";
import { Button } from "@/components/ui/button";
import { useSiweSignIn } from "@/components/wallet/use-siwe-sign-in";
import { Notice } from "./fields";

export default function WalletSignIn({ chainConfig }: { chainConfig: WalletChainConfig }) {
  return (
    <WalletProviders chainConfig={chainConfig}>
      <SignInFlow />
    </WalletProviders>
  );
}

const SIGN_IN_PATHS = { nonce: "/api/auth/nonce", verify: "/api/auth/verify" };

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

function SignInFlow() {
  const { address, isConnected } = useAccount();
  const router = useRouter();
  const { signIn, busy, error } = useSiweSignIn(SIGN_IN_PATHS, () => router.refresh());

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
