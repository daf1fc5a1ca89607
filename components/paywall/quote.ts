// Reads the article route's first answer: a 402 becomes a Quote (what to pay, to whom, in what),
// a 200 means the reader already holds access (another tab bought it). Pure: no React, no wallet.
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import { paymentRequiredBodySchema } from "@/lib/x402/payment-required-body";

/**
 * The fields of Kiosk's 402 body the paywall reads, from the schema the server builds it with
 * (the rest of the body is for other clients).
 */
const quoteBodySchema = paymentRequiredBodySchema.pick({
  error: true,
  reason: true,
  price: true,
  payTo: true,
  accessWindowSeconds: true,
  paymentUri: true,
  transferQuote: true,
});

export type Quote = {
  /** The decoded PAYMENT-REQUIRED header, as the official client will read it again. */
  paymentRequired: PaymentRequired;
  /** The one requirement Kiosk can pay here: `exact` on the configured chain. */
  requirement: PaymentRequirements;
  amount: bigint;
  display: string;
  asset: `0x${string}`;
  payTo: `0x${string}`;
  /** What the payment buys, from the same answer as the price; null = forever. */
  accessWindowSeconds: number | null;
  /** EIP-681 `ethereum:<usdc>@<chainId>/transfer?address=<payTo>&uint256=<transfer.amount>`. */
  paymentUri: string;
  /** The plain-transfer path pays this signed quote: the price plus a few atomic units, exactly. */
  transfer: { token: string; amount: bigint; display: string };
};

export type QuoteResult =
  | { kind: "quote"; quote: Quote }
  | { kind: "unlocked" }
  | { kind: "failed"; status: number; message: string };

/** `network` is the CAIP-2 id the page was rendered for, e.g. "eip155:31337". */
export async function readQuote(response: Response, network: string): Promise<QuoteResult> {
  if (response.ok) return { kind: "unlocked" };
  if (response.status !== 402) {
    return { kind: "failed", status: response.status, message: await errorText(response) };
  }
  const header = response.headers.get("payment-required");
  const body = quoteBodySchema.safeParse(await response.json().catch(() => null));
  if (!header || !body.success) {
    return { kind: "failed", status: 402, message: "The price could not be read from the server's answer." };
  }
  let paymentRequired: PaymentRequired;
  try {
    paymentRequired = decodePaymentRequiredHeader(header);
  } catch {
    return { kind: "failed", status: 402, message: "The server's PAYMENT-REQUIRED header is malformed." };
  }
  const requirement = paymentRequired.accepts.find(
    (r) =>
      r.scheme === "exact" &&
      r.network === network &&
      r.asset.toLowerCase() === body.data.price.asset.toLowerCase() &&
      r.amount === body.data.price.amount,
  );
  if (!requirement) {
    return {
      kind: "failed",
      status: 402,
      message: `This article is not payable on ${network} from this page.`,
    };
  }
  return {
    kind: "quote",
    quote: {
      paymentRequired,
      requirement,
      amount: BigInt(requirement.amount),
      display: body.data.price.display,
      asset: body.data.price.asset,
      payTo: body.data.payTo,
      accessWindowSeconds: body.data.accessWindowSeconds,
      paymentUri: body.data.paymentUri,
      transfer: {
        token: body.data.transferQuote.token,
        amount: BigInt(body.data.transferQuote.amount),
        display: body.data.transferQuote.display,
      },
    },
  };
}

/** The friendliest text an error answer carries: Kiosk's `{error:{message}}`, a 402's `error`, or the status. */
export async function errorText(response: Response): Promise<string> {
  const json = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const error = json?.error;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return `The server answered ${response.status}.`;
}
