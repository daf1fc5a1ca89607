"use client";
// The gasless path (an EIP-3009 authorization a facilitator settles) as a hook: read the 402 → connect with RainbowKit → switch chain →
// on Confirm, sign the EIP-3009 authorization for the 402 already read, with the official x402
// client (@x402/fetch) over a wagmi signer → the server settles and sets the receipt cookie → router.refresh() renders the
// body on the server. Rendering lives in unlock-flow.tsx.
import { useConnectModal } from "@rainbow-me/rainbowkit";
import type { Network } from "@x402/fetch";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { erc20Abi } from "viem";
import { useAccount, useConfig, useDisconnect, useSwitchChain } from "wagmi";
import { getWalletClient, readContract } from "wagmi/actions";
import { payQuoted, toX402Signer, type X402Signer } from "@/components/wallet/x402-signer";
import {
  classifySigningError,
  classifyThrown,
  readPaidResponse,
  type PaidOutcome,
  type PaywallError,
} from "./outcome";
import { readQuote, type QuoteResult } from "./quote";
import { UNLOCK_MARKS, type FirstAnswer } from "./types";

export type QuoteState = { kind: "loading" } | QuoteResult;

export type Action =
  | { kind: "idle" }
  | { kind: "switching" }
  | { kind: "signing" }
  | { kind: "settling" }
  | { kind: "unlocked"; txHash: string | null; access: string | null }
  | { kind: "error"; error: PaywallError };

// A Response body reads once; React may run an effect twice (Strict Mode), so the parse is
// memoized per first answer.
const quotes = new WeakMap<FirstAnswer, Promise<QuoteResult>>();
function quoteFor(answer: FirstAnswer, network: string): Promise<QuoteResult> {
  let quote = quotes.get(answer);
  if (!quote) {
    quote = answer
      .then((response) =>
        response
          ? readQuote(response, network)
          : {
              kind: "failed" as const,
              status: 0,
              message: "Kiosk could not be reached. Check your connection.",
            },
      )
      .catch(() => ({ kind: "failed" as const, status: 0, message: "The price could not be read." }));
    quotes.set(answer, quote);
  }
  return quote;
}

export function useGaslessPayment(p: {
  firstAnswer: FirstAnswer;
  apiPath: string;
  /** False while the reader is on the transfer path: no connect modal opens by itself then. */
  active: boolean;
}) {
  const router = useRouter();
  const config = useConfig();
  const chain = config.chains[0];
  const network = `eip155:${chain.id}` as Network;
  const account = useAccount();
  const { openConnectModal } = useConnectModal();
  const { switchChainAsync } = useSwitchChain();
  const { disconnectAsync } = useDisconnect();

  const [quoteState, setQuoteState] = useState<QuoteState>({ kind: "loading" });
  const [action, setAction] = useState<Action>({ kind: "idle" });
  // Refs, not state: they must hold between two clicks in the same frame (a double click pays once).
  const busy = useRef(false);
  const askedToConnect = useRef(false);
  const triedSwitch = useRef(false);
  const quote = quoteState.kind === "quote" ? quoteState.quote : null;

  const unlocked = (outcome: { txHash: string | null; access: string | null }) => {
    setAction({ kind: "unlocked", ...outcome });
    // The server set the receipt cookie (Path=/articles/<slug>): re-render the page from it.
    router.refresh();
  };

  useEffect(() => {
    let live = true;
    void quoteFor(p.firstAnswer, network).then((result) => {
      if (!live) return;
      setQuoteState(result);
      // Another tab bought it since this page was rendered: the cookie is already here.
      if (result.kind === "unlocked") router.refresh();
    });
    return () => {
      live = false;
    };
  }, [p.firstAnswer, network, router]);

  const connected = account.status === "connected";
  const wrongChain = connected && account.chainId !== chain.id;

  // Not connected: open RainbowKit's modal once, by itself. Later the reader uses the button.
  useEffect(() => {
    if (!quote || !p.active || askedToConnect.current) return;
    if (account.status === "disconnected" && openConnectModal) {
      askedToConnect.current = true;
      openConnectModal();
    }
  }, [quote, p.active, account.status, openConnectModal]);

  async function switchNetwork() {
    setAction({ kind: "switching" });
    try {
      await switchChainAsync({ chainId: chain.id });
      setAction({ kind: "idle" });
    } catch (error) {
      const e = classifyThrown(error);
      setAction({
        kind: "error",
        error: e.kind === "wrong-network" ? e : { kind: "wrong-network", detail: "" },
      });
    }
  }

  // Connected on another chain: ask the wallet to switch, once by itself (typed data for another
  // chain is refused by wallets, so signing cannot start before this).
  useEffect(() => {
    if (!quote || !wrongChain || triedSwitch.current) return;
    triedSwitch.current = true;
    void switchNetwork();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- switchNetwork is recreated every render; the ref makes this run once
  }, [quote, wrongChain]);

  async function readBalance(address: `0x${string}`, asset: `0x${string}`): Promise<bigint | null> {
    return readContract(config, {
      address: asset,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [address],
      chainId: chain.id,
    }).catch(
      () => null, // unknown: let the facilitator decide
    );
  }

  // The balance is read as soon as the price and the wallet are known, so Confirm does not wait
  // for it; a short balance is read again at Confirm (the reader may have topped up since).
  const balanceRead = useRef<{ key: string; balance: Promise<bigint | null> } | null>(null);
  const balanceKey = quote && account.address ? `${account.address}:${quote.asset}` : null;
  useEffect(() => {
    if (!quote || !account.address || wrongChain || balanceRead.current?.key === balanceKey) return;
    balanceRead.current = { key: balanceKey!, balance: readBalance(account.address, quote.asset) };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- readBalance is recreated every render; the key gates this
  }, [balanceKey, wrongChain]);

  async function balanceAtConfirm(address: `0x${string}`, asset: `0x${string}`, amount: bigint) {
    const early =
      balanceRead.current?.key === `${address}:${asset}` ? await balanceRead.current.balance : null;
    if (early !== null && early >= amount) return early;
    const now = await readBalance(address, asset);
    balanceRead.current = { key: `${address}:${asset}`, balance: Promise.resolve(now) };
    return now;
  }

  async function pay() {
    const address = account.address;
    if (!quote || !address || busy.current) return;
    busy.current = true;
    let signerError: unknown = null;
    try {
      setAction({ kind: "signing" });
      // Asking for a signature that cannot settle would only waste the reader's time.
      const balance = await balanceAtConfirm(address, quote.asset, quote.amount);
      if (balance !== null && balance < quote.amount) {
        setAction({ kind: "error", error: { kind: "insufficient-funds", balance } });
        return;
      }
      const walletClient = await getWalletClient(config, { chainId: chain.id });
      const wallet = toX402Signer(walletClient);
      // The same signer, telling the UI when the wallet answered (the settle step starts then).
      const signer: X402Signer = {
        address: wallet.address,
        signTypedData: async (message) => {
          try {
            const signature = await wallet.signTypedData(message);
            performance.mark(UNLOCK_MARKS.signed);
            setAction({ kind: "settling" });
            return signature;
          } catch (error) {
            signerError = error;
            throw error;
          }
        },
      };
      const paid = await payQuoted(
        { signer, network, asset: quote.asset, maxAmount: quote.requirement.amount },
        quote.paymentRequired,
        p.apiPath,
        { cache: "no-store" },
      );
      performance.mark(UNLOCK_MARKS.answered);
      const outcome: PaidOutcome = await readPaidResponse(paid);
      if (outcome.kind === "unlocked") {
        unlocked(outcome);
      } else if (outcome.error.kind === "insufficient-funds") {
        setAction({
          kind: "error",
          error: { kind: "insufficient-funds", balance: await readBalance(address, quote.asset) },
        });
      } else {
        setAction({ kind: "error", error: outcome.error });
        // Another tab is settling this very purchase: its receipt cookie will land in this browser too.
        if (outcome.error.kind === "in-use") setTimeout(() => router.refresh(), 2_000);
      }
    } catch (error) {
      // The wallet's own error says more than the x402 client's wrapper around it.
      setAction({
        kind: "error",
        error: signerError ? classifySigningError(signerError) : classifyThrown(error),
      });
    } finally {
      busy.current = false;
    }
  }

  async function switchToAnotherWallet() {
    setAction({ kind: "idle" });
    askedToConnect.current = false; // the effect above opens the modal once disconnected
    triedSwitch.current = false;
    await disconnectAsync().catch(() => undefined);
  }

  return {
    chain,
    account,
    connected,
    wrongChain,
    quoteState,
    quote,
    action,
    pay,
    switchNetwork,
    switchToAnotherWallet,
    reset: () => setAction({ kind: "idle" }),
  };
}
