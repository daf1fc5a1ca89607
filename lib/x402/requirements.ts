// Building what a 402 asks for, and checking that what a client paid matches it. Pure: no env,
// no database, no chain. Prices are deterministic, so the paid retry rebuilds the very same
// requirements and compares (x402 spec v2 §5: the client echoes `accepted` verbatim).
import { declareDiscoveryExtension } from "@x402/extensions/bazaar";
import { declarePaymentIdentifierExtension, PAYMENT_IDENTIFIER } from "@x402/extensions/payment-identifier";
import { getAddress } from "viem";
import type { DecodedPayment } from "./codec";
import type { PaymentPayload, PaymentRequired, PaymentRequirements } from "./types";

export type ChainConfig = {
  caip2: `eip155:${number}`;
  chainId: number;
  v1Name: string | null;
  usdc: `0x${string}`;
  usdcName: string;
  usdcVersion: string;
};

export type Offer = {
  /** Absolute URL of the resource (what `resource.url` names). */
  url: string;
  description: string;
  mimeType: string;
  amount: bigint;
  payTo: `0x${string}`;
  /**
   * For discovery catalogues (x402 bazaar extension): who sells it and under which tags
   * (`resource.serviceName`, `resource.tags`), and what a GET returns once paid.
   */
  discovery?: {
    serviceName: string;
    tags: string[];
    output?: { example?: unknown; schema?: Record<string, unknown> };
  };
};

/** How long an authorization may take to reach us; also bounds `validBefore` in the official client. */
export const MAX_TIMEOUT_SECONDS = 300;
/**
 * `validBefore` must leave this long to mine: a settlement sent a few seconds before expiry
 * reverts on chain with the relayer paying the gas.
 */
export const MIN_SETTLE_WINDOW_SECONDS = 30;
/** Clock skew allowed beyond `maxTimeoutSeconds` for `validBefore`. */
export const VALID_BEFORE_SKEW_SECONDS = 60;

export function buildRequirements(chain: ChainConfig, offer: Offer): PaymentRequirements {
  return {
    scheme: "exact",
    network: chain.caip2,
    amount: offer.amount.toString(),
    asset: chain.usdc,
    payTo: getAddress(offer.payTo),
    maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
    extra: { name: chain.usdcName, version: chain.usdcVersion },
  };
}

export function buildPaymentRequired(chain: ChainConfig, offer: Offer, error: string): PaymentRequired {
  return {
    x402Version: 2,
    error,
    resource: {
      url: offer.url,
      description: offer.description,
      mimeType: offer.mimeType,
      ...(offer.discovery ? { serviceName: offer.discovery.serviceName, tags: offer.discovery.tags } : {}),
    },
    accepts: [buildRequirements(chain, offer)],
    extensions: {
      // A client that echoes an id (x402 payment-identifier extension) can retry a payment whose
      // answer it lost and receive the content once; without it a settled payment's copy gets 409.
      [PAYMENT_IDENTIFIER]: declarePaymentIdentifierExtension(false),
      ...(offer.discovery ? discoveryExtension(offer.discovery.output) : {}),
    },
  };
}

/**
 * The bazaar extension: how to call the resource (a plain GET, no parameters) and what comes
 * back. The official resource server fills in `method` from the request it is answering
 * (enrichDeclaration); Kiosk builds its 402s itself, so it says GET here, which the schema requires.
 */
function discoveryExtension(output: { example?: unknown; schema?: Record<string, unknown> } | undefined) {
  const declared = declareDiscoveryExtension({ input: {}, ...(output ? { output } : {}) });
  const bazaar = declared.bazaar;
  if (bazaar && bazaar.info.input.type === "http") bazaar.info.input.method = "GET";
  return declared;
}

/**
 * An x402 v1 requirement as Kiosk offers it (x402 v1 `PaymentRequirements`): v1 names the network
 * by name ("base-sepolia", where v2 says "eip155:84532"), calls the amount `maxAmountRequired` and
 * carries the resource inline. Kiosk declares no output schema, which v1 makes optional.
 */
export type V1Requirements = {
  scheme: "exact";
  network: string;
  maxAmountRequired: string;
  resource: string;
  description: string;
  mimeType: string;
  payTo: `0x${string}`;
  maxTimeoutSeconds: number;
  asset: `0x${string}`;
  extra: { name: string; version: string };
};

/** What a facilitator is asked to check a payment against: the form of the payment's version. */
export type FacilitatorRequirements = PaymentRequirements | V1Requirements;

/** The same offer in x402 v1 form, for `x402-fetch` 1.x; only networks v1 can name have one. */
export function buildV1Accepts(chain: ChainConfig, offer: Offer): V1Requirements[] | null {
  if (!chain.v1Name) return null;
  return [
    {
      scheme: "exact",
      network: chain.v1Name,
      maxAmountRequired: offer.amount.toString(),
      resource: offer.url,
      description: offer.description,
      mimeType: offer.mimeType,
      payTo: getAddress(offer.payTo),
      maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
      asset: chain.usdc,
      extra: { name: chain.usdcName, version: chain.usdcVersion },
    },
  ];
}

/** EIP-681 ERC-20 transfer URI for wallets that cannot sign EIP-3009. */
export function paymentUri(chain: ChainConfig, offer: Offer): string {
  return `ethereum:${chain.usdc}@${chain.chainId}/transfer?address=${getAddress(offer.payTo)}&uint256=${offer.amount}`;
}

export type MatchResult = { kind: "match" } | { kind: "mismatch"; reason: string };

export type RequirementsFor =
  | {
      kind: "ok";
      /** The v2 form, which Kiosk's own checks run on. */
      requirements: PaymentRequirements;
      /** The form of the payment's version, for the facilitator's scheme. */
      forFacilitator: FacilitatorRequirements;
    }
  | { kind: "mismatch"; reason: string };

/**
 * Rebuilds what this offer requires and checks the payment names it, in the payment's own x402
 * version: v2 echoes the requirement it accepted (compared field by field); v1 names only the
 * scheme and the network at the top level of the payload.
 */
export function requirementsFor(chain: ChainConfig, offer: Offer, payment: DecodedPayment): RequirementsFor {
  const ours = buildRequirements(chain, offer);
  if (payment.x402Version === 2) {
    const accepted = (payment.payload as { accepted: PaymentRequirements }).accepted;
    const m = matchAccepted(ours, accepted);
    return m.kind === "match" ? { kind: "ok", requirements: ours, forFacilitator: ours } : m;
  }
  const v1 = buildV1Accepts(chain, offer)?.[0];
  if (!v1)
    return {
      kind: "mismatch",
      reason: `x402 v1 cannot name this network; pay with x402 v2 on ${chain.caip2}`,
    };
  if (payment.v1?.scheme !== "exact")
    return { kind: "mismatch", reason: `unsupported scheme "${payment.v1?.scheme}"` };
  if (payment.v1.network !== v1.network)
    return { kind: "mismatch", reason: `wrong network: this resource is paid on ${v1.network}` };
  return { kind: "ok", requirements: ours, forFacilitator: v1 };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Compares the requirement a client says it accepted with the one we would offer now. Field by
 * field so the 402 can say *what* differs (an edited amount, payTo, asset or network).
 */
export function matchAccepted(
  ours: PaymentRequirements,
  theirs: { scheme: string; network: string; amount: string; asset: string; payTo: string; extra?: unknown },
): MatchResult {
  if (theirs.scheme !== ours.scheme)
    return { kind: "mismatch", reason: `unsupported scheme "${theirs.scheme}"` };
  if (theirs.network !== ours.network) {
    return { kind: "mismatch", reason: `wrong network: this resource is paid on ${ours.network}` };
  }
  if (!same(theirs.asset, ours.asset))
    return { kind: "mismatch", reason: "wrong asset: pay in the USDC named here" };
  if (!same(theirs.payTo, ours.payTo)) return { kind: "mismatch", reason: "wrong recipient (payTo)" };
  if (theirs.amount !== ours.amount) {
    return { kind: "mismatch", reason: `wrong amount: the price is ${ours.amount} atomic units` };
  }
  const extra = (theirs.extra ?? {}) as { name?: unknown; version?: unknown };
  const oursExtra = ours.extra as { name: string; version: string };
  if (extra.name !== oursExtra.name || extra.version !== oursExtra.version) {
    return { kind: "mismatch", reason: "wrong token domain (extra.name / extra.version)" };
  }
  return { kind: "match" };
}

/**
 * Checks an EIP-3009 authorization against the requirement before any network call: cheap,
 * and the facilitator repeats these on chain anyway. `validBefore` must leave time to mine and
 * may not exceed the offer's `maxTimeoutSeconds` (plus skew): an authorization is a bearer
 * instrument until it expires, so its life is kept as short as the protocol allows.
 */
export function checkAuthorization(
  ours: PaymentRequirements,
  auth: { to: string; value: string; validAfter: string; validBefore: string },
  nowSeconds: number,
): MatchResult {
  if (!same(auth.to, ours.payTo))
    return { kind: "mismatch", reason: "authorization pays the wrong recipient" };
  if (auth.value !== ours.amount)
    return { kind: "mismatch", reason: "authorization value differs from the price" };
  if (BigInt(auth.validBefore) < BigInt(nowSeconds)) {
    return { kind: "mismatch", reason: "authorization expired (validBefore has passed)" };
  }
  if (BigInt(auth.validBefore) < BigInt(nowSeconds + MIN_SETTLE_WINDOW_SECONDS)) {
    return {
      kind: "mismatch",
      reason: `authorization expires too soon to settle (validBefore must be at least ${MIN_SETTLE_WINDOW_SECONDS} s ahead); sign a new one`,
    };
  }
  if (BigInt(auth.validBefore) > BigInt(nowSeconds + ours.maxTimeoutSeconds + VALID_BEFORE_SKEW_SECONDS)) {
    return {
      kind: "mismatch",
      reason: `authorization lives too long (validBefore may be at most ${ours.maxTimeoutSeconds} s ahead)`,
    };
  }
  if (BigInt(auth.validAfter) > BigInt(nowSeconds)) {
    return { kind: "mismatch", reason: "authorization is not valid yet (validAfter is in the future)" };
  }
  return { kind: "match" };
}

/**
 * The client's `resource` is not signed, but when it names another item the payment was meant
 * for something else (an agent's header replayed against another URL): refuse it (x402 v2 §5.2).
 * The path decides; the origin may legitimately differ behind proxies.
 */
export function matchResource(payload: PaymentPayload, offer: Offer): MatchResult {
  const url = (payload as { resource?: { url?: unknown } }).resource?.url;
  if (url === undefined) return { kind: "match" };
  try {
    if (typeof url === "string" && new URL(url).pathname === new URL(offer.url).pathname)
      return { kind: "match" };
  } catch {
    // fall through
  }
  return { kind: "mismatch", reason: `this payment names another resource (${String(url).slice(0, 200)})` };
}
