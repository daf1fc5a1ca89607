// Which way the reader is paying, and the two payment hooks behind it: gasless (sign an
// authorization, use-gasless-payment.ts) or a plain transfer, from this wallet or from a phone
// (use-transfer.ts). Also the phone path's pending claim: a pasted hash waits here while the reader
// connects the wallet that sent it. And whether the connected wallet already owns the article
// (use-ownership.ts): an owner is offered "Restore access" on either path and never sends money.
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { PaywallFlowProps } from "./types";
import { useGaslessPayment } from "./use-gasless-payment";
import { useOwnership } from "./use-ownership";
import { useTransfer } from "./use-transfer";

/** gasless: sign an authorization. transfer-*: send USDC from this wallet, or from a phone (QR). */
export type Mode = "gasless" | "transfer-wallet" | "transfer-phone";

export function useUnlockMode(props: PaywallFlowProps) {
  const router = useRouter();
  const connectModal = useConnectModal();
  const [mode, setMode] = useState<Mode>("gasless");
  const gasless = useGaslessPayment({
    firstAnswer: props.firstAnswer,
    apiPath: props.apiPath,
    active: mode === "gasless",
  });
  const { account, connected, wrongChain } = gasless;
  const owner = useOwnership(props.resourceKey, account.address);
  const transfer = useTransfer({
    quote: gasless.quote,
    apiPath: props.apiPath,
    resourceKey: props.resourceKey,
    chainId: gasless.chain.id,
    onUnlocked: () => router.refresh(),
  });

  const [pendingClaim, setPendingClaim] = useState<`0x${string}` | null>(null);
  function claimPasted(txHash: `0x${string}`) {
    if (account.status === "connected") {
      void transfer.claimPasted(txHash);
    } else {
      setPendingClaim(txHash);
      connectModal.openConnectModal?.();
    }
  }

  useEffect(() => {
    if (!pendingClaim || !connected) return;
    const txHash = pendingClaim;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- consumes a one-shot request made before connecting
    setPendingClaim(null);
    void transfer.claimPasted(txHash);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- transfer's functions are new each render; pendingClaim gates this
  }, [pendingClaim, connected]);

  function startTransfer() {
    // An owner has nothing to pay for: the views offer it no transfer, and none starts here either.
    if (owner.ownership.kind === "owner") return;
    if (connected && !wrongChain && account.address) {
      setMode("transfer-wallet");
      void transfer.sendFromWallet(account.address);
    } else {
      setMode("transfer-phone");
    }
  }

  function backToGasless() {
    setMode("gasless");
    transfer.reset();
    gasless.reset();
  }

  return {
    mode,
    gasless,
    transfer,
    connectModal,
    owner,
    pendingClaim,
    claimPasted,
    startTransfer,
    backToGasless,
    router,
  };
}
