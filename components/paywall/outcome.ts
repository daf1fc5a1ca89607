// Turns what a payment attempt produced (an HTTP answer, or an error thrown by the wallet or the
// x402 client) into one of the few outcomes the reader is told about. Pure, so every branch has a
// unit test; the wording lives in messages.ts.
import { decodePaymentResponseHeader } from "@x402/core/http";
import { errorText } from "./quote";

export type PaywallError =
  /** The reader said no in the wallet: nothing was signed, nothing charged. */
  | { kind: "rejected" }
  /** The wallet does not offer EIP-712 typed-data signatures (eth_signTypedData_v4): pay by transfer. */
  | { kind: "typed-data-unsupported" }
  /** The wallet holds less than the price. `balance` when it could be read. */
  | { kind: "insufficient-funds"; balance: bigint | null }
  /** The wallet is on another chain and would not (or could not) switch. */
  | { kind: "wrong-network"; detail: string }
  /** The payment was refused or could not settle: nothing was charged. */
  | { kind: "settlement-failed"; detail: string }
  /** Another tab (or device) is paying for this article with this wallet right now. */
  | { kind: "in-use" }
  /** The settlement was sent (or may have been) but the content did not arrive: retry, no second charge. */
  | { kind: "may-have-settled"; txHash: string | null; detail: string }
  /** The facilitator, relayer or chain is down: nothing was charged, try again later. */
  | { kind: "unavailable"; detail: string }
  /** A transfer claim the server refused, with its precise reason (underpaid, wrong recipient…). */
  | { kind: "transfer-refused"; detail: string }
  | { kind: "unexpected"; detail: string };

export type PaidOutcome =
  | { kind: "unlocked"; txHash: string | null; access: string | null }
  | { kind: "failed"; error: PaywallError };

/** Reads the answer to the request that carried PAYMENT-SIGNATURE (or a transfer claim). */
export async function readPaidResponse(response: Response): Promise<PaidOutcome> {
  if (response.ok) {
    return {
      kind: "unlocked",
      txHash: settledTransaction(response.headers.get("payment-response")),
      access: response.headers.get("x-kiosk-access"),
    };
  }
  switch (response.status) {
    case 402: {
      const body = (await response.json().catch(() => null)) as { error?: unknown; reason?: unknown } | null;
      const reason = typeof body?.reason === "string" ? body.reason : "";
      const detail = typeof body?.error === "string" ? body.error : "The payment was not accepted.";
      // Reason codes are free-form strings that differ between facilitators; match loosely.
      if (/insufficient_(funds|balance)|exceeds balance/i.test(reason))
        return failed({ kind: "insufficient-funds", balance: null });
      return failed({ kind: "settlement-failed", detail });
    }
    case 409:
      return failed({ kind: "in-use" });
    case 502:
      // Kiosk answers 502 only once a settlement may have reached the chain.
      return failed({
        kind: "may-have-settled",
        txHash: settledTransaction(response.headers.get("payment-response")),
        detail: await errorText(response),
      });
    case 429:
    case 503:
      return failed({ kind: "unavailable", detail: await errorText(response) });
    default:
      return failed({ kind: "unexpected", detail: await errorText(response) });
  }
}

const failed = (error: PaywallError): PaidOutcome => ({ kind: "failed", error });

function settledTransaction(header: string | null): string | null {
  if (!header) return null;
  try {
    const settle = decodePaymentResponseHeader(header);
    return /^0x[0-9a-fA-F]{64}$/.test(settle.transaction) ? settle.transaction : null;
  } catch {
    return null; // the article is unlocked either way; the hash is only shown
  }
}

/**
 * An error thrown while asking the wallet (or by the x402 client around it). wagmi/viem wrap the
 * provider's error, and @x402/fetch wraps that in a plain Error, so walk the `cause` chain.
 */
export function classifyThrown(error: unknown): PaywallError {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    // EIP-1193 4001 "User Rejected Request"; viem names it UserRejectedRequestError.
    if (
      code === 4001 ||
      name === "UserRejectedRequestError" ||
      (typeof message === "string" && /user (rejected|denied)/i.test(message))
    ) {
      return { kind: "rejected" };
    }
    if (
      code === 4902 ||
      name === "ChainMismatchError" ||
      name === "SwitchChainNotSupportedError" ||
      (typeof message === "string" && /must match the active chainid|chain mismatch/i.test(message))
    ) {
      return { kind: "wrong-network", detail: typeof message === "string" ? firstLine(message) : "" };
    }
    // The token's revert (OpenZeppelin 5 names it ERC20InsufficientBalance); "insufficient funds"
    // alone means ETH for gas, which is not what the reader is short of here.
    if (typeof message === "string" && /exceeds balance|ERC20InsufficientBalance/i.test(message)) {
      return { kind: "insufficient-funds", balance: null };
    }
  }
  const e = error as { shortMessage?: unknown; message?: unknown };
  const text =
    typeof e?.shortMessage === "string"
      ? e.shortMessage
      : typeof e?.message === "string"
        ? e.message
        : String(error);
  return { kind: "unexpected", detail: firstLine(text) };
}

/**
 * An error the wallet threw while asked to sign the payment (eth_signTypedData_v4). Some wallets
 * (a few smart-contract and hardware wallets) do not offer typed-data signatures at all and say so
 * with EIP-1193's 4200 "unsupported method", JSON-RPC's -32601 "method not found", or in words;
 * the gasless path cannot work with them, so the reader is pointed to a plain transfer.
 */
export function classifySigningError(error: unknown): PaywallError {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (
      code === 4200 ||
      code === -32601 ||
      name === "UnsupportedProviderMethodError" ||
      name === "MethodNotFoundRpcError" ||
      (typeof message === "string" &&
        /(signTypedData\w*|typed data)\b.*\b(not supported|unsupported|not implemented|not available)|(method|request) (is )?not (supported|found|implemented)|does not support the requested method/i.test(
          message,
        ))
    ) {
      return { kind: "typed-data-unsupported" };
    }
  }
  return classifyThrown(error);
}

const firstLine = (text: string) => text.split("\n")[0] ?? text;
