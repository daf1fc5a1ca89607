// One facilitator interface, two implementations: in-process (the official x402Facilitator and
// exact-EVM scheme, with Kiosk's relayer as signer) for the local chain, and HTTP (a hosted
// facilitator such as x402.org or CDP) for Base. Replies are validated: a facilitator is a trust
// boundary like any other.
import "server-only";
import { x402Facilitator } from "@x402/core/facilitator";
import { SettleError } from "@x402/core/types";
import { HTTPFacilitatorClient } from "@x402/core/http";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { z } from "zod";
import type { Db } from "../db/client";
import type { FacilitatorRequirements } from "../x402/requirements";
import type { PaymentPayload, PaymentRequirements } from "../x402/types";
import { createRelayer, newRelayerCall, RelayerError, type Relayer, type RelayerCall } from "./relayer";

export type VerifyOutcome = { kind: "valid"; payer: string } | { kind: "invalid"; reason: string };

export type SettleOutcome =
  | { kind: "settled"; transaction: `0x${string}`; payer: string }
  | { kind: "failed"; reason: string; transaction: string }
  /** We don't know whether it landed (timeout, lost answer): reconcile from the chain. */
  | { kind: "unknown"; reason: string };

export type Facilitator = {
  name: "in-process" | "http";
  /** settle() itself runs the full verification, simulation included, so a separate verify() is redundant. */
  verifiesOnSettle: boolean;
  /** `requirements` in the payment's own x402 version (v1 payloads are checked against v1 requirements). */
  verify(payload: PaymentPayload, requirements: FacilitatorRequirements): Promise<VerifyOutcome>;
  /**
   * `signedLocally`: the caller recovered the payload's plain ECDSA signature to its `from`
   * (lib/x402/authorization.ts), so the in-process relayer need not read that payer's code.
   */
  settle(
    payload: PaymentPayload,
    requirements: FacilitatorRequirements,
    opts?: { signedLocally?: boolean },
  ): Promise<SettleOutcome>;
  /** For the health endpoint: can settlements go through right now? */
  status?(): Promise<FacilitatorStatus>;
};

export type FacilitatorStatus = {
  ok: boolean;
  detail: string;
  /** The in-process relayer's state (a hosted facilitator keeps its own). */
  relayer?: {
    address: `0x${string}`;
    balanceWei: string | null;
    pending: number;
    oldestPendingMs: number;
    paused: boolean;
  };
};

/** Below this the relayer is reported low: a few hundred settlements on Base, fewer on a busy L1. */
export const RELAYER_LOW_BALANCE_WEI = 100_000_000_000_000n; // 0.0001 ETH

/** The facilitator could not be asked at all (down, slow, relayer out of gas): answer 502/503. */
export class FacilitatorUnavailableError extends Error {
  constructor(
    message: string,
    readonly reason: "unreachable" | "relayer_unfunded" | "relayer_paused" = "unreachable",
  ) {
    super(message);
  }
}

const verifyReplySchema = z.object({
  isValid: z.boolean(),
  invalidReason: z.string().max(500).nullish(),
  payer: z.string().nullish(),
});

const settleReplySchema = z.object({
  success: z.boolean(),
  errorReason: z.string().max(500).nullish(),
  transaction: z.string().max(200).default(""),
  payer: z.string().nullish(),
  network: z.string().optional(),
});

const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

type Track = <T>(
  run: () => Promise<T>,
  call?: RelayerCall,
) => Promise<{ value: T; call: RelayerCall | null }>;
const untracked: Track = async (run) => ({ value: await run(), call: null });
/** What only the in-process relayer knows: which authorizations it sent, and what was mined. */
type RelayerView = {
  sentFor(authorization: { from: string; nonce: string }): Promise<boolean>;
  minedHash(hash: `0x${string}`): Promise<`0x${string}`>;
};
const noRelayer: RelayerView = { sentFor: async () => false, minedHash: async (hash) => hash };

function wrap(
  name: Facilitator["name"],
  client: {
    verify(p: PaymentPayload, r: PaymentRequirements): Promise<unknown>;
    settle(p: PaymentPayload, r: PaymentRequirements): Promise<unknown>;
  },
  track: Track = untracked,
  relayer: RelayerView = noRelayer,
): Facilitator {
  // The official facilitator and HTTP client dispatch on the payload's x402Version and read v1
  // requirements for a v1 payload, but their signatures name only the v2 type.
  const official = (r: FacilitatorRequirements) => r as PaymentRequirements;
  return {
    name,
    verifiesOnSettle: name === "in-process",
    async verify(payload, requirements) {
      let raw: unknown;
      let call: RelayerCall | null;
      try {
        ({ value: raw, call } = await track(() => client.verify(payload, official(requirements))));
      } catch (error) {
        throw unavailable(error);
      }
      if (call?.readFailed && !(raw as { isValid?: unknown })?.isValid) {
        throw new FacilitatorUnavailableError(
          "The chain could not be read to verify the payment; nothing was charged.",
        );
      }
      const reply = verifyReplySchema.safeParse(raw);
      if (!reply.success)
        throw new FacilitatorUnavailableError("The facilitator sent an unreadable verify reply.");
      if (!reply.data.isValid)
        return { kind: "invalid", reason: reply.data.invalidReason ?? "invalid_payment" };
      return { kind: "valid", payer: reply.data.payer ?? "" };
    },
    async settle(payload, requirements, opts) {
      let raw: unknown;
      let call: RelayerCall | null;
      const from = (payload.payload as { authorization?: { from?: unknown } }).authorization?.from;
      const record = newRelayerCall(opts?.signedLocally && typeof from === "string" ? from : undefined);
      try {
        ({ value: raw, call } = await track(() => client.settle(payload, official(requirements)), record));
      } catch (error) {
        if (error instanceof RelayerError && error.kind === "unfunded") throw unavailable(error);
        // The scheme let a failed chain read escape before anything was sent: an outage.
        if (record.readFailed && record.sent.length === 0) {
          throw new FacilitatorUnavailableError(
            "The chain could not be read to verify the payment; nothing was charged.",
          );
        }
        // A hosted facilitator that answers 4xx without a transaction refused the request itself
        // (a bad payload, an expired authorization): nothing was sent, so it is a plain refusal.
        // A 5xx, a timeout or a dropped connection may have broadcast anyway: the caller
        // reconciles those from the chain.
        if (
          error instanceof SettleError &&
          error.statusCode >= 400 &&
          error.statusCode < 500 &&
          !error.transaction
        ) {
          return { kind: "failed", reason: error.errorReason ?? "settlement_refused", transaction: "" };
        }
        return { kind: "unknown", reason: shortMessage(error) };
      }
      const reply = settleReplySchema.safeParse(raw);
      if (!reply.success) return { kind: "unknown", reason: "unreadable settle reply" };
      const { success, errorReason, transaction } = reply.data;
      // This call's own outcome decides: a landed settlement is a success whatever other
      // settlements running at the same time ran into.
      if (success && TX_HASH.test(transaction)) {
        // A replaced transaction (same nonce and calldata, higher fee) was mined under its new hash.
        const mined = await relayer.minedHash(transaction as `0x${string}`);
        return { kind: "settled", transaction: mined, payer: reply.data.payer ?? "" };
      }
      if (success) return { kind: "unknown", reason: "settled without a transaction hash" };
      if (!transaction && call?.paused) {
        throw new FacilitatorUnavailableError(
          "Payments are paused while the payment relayer catches up; nothing was charged. Try again shortly.",
          "relayer_paused",
        );
      }
      if (!transaction && call?.unfunded) {
        throw new FacilitatorUnavailableError(
          "The payment relayer is out of gas money; try again later.",
          "relayer_unfunded",
        );
      }
      if (!transaction && call?.readFailed) {
        // Refused before sending, and a chain read failed meanwhile: an outage, not a bad payment.
        throw new FacilitatorUnavailableError(
          "The chain could not be read to verify the payment; nothing was charged.",
        );
      }
      // The official scheme reports a broadcast whose receipt never came as `settlement_pending`.
      if (errorReason && /pending/i.test(errorReason)) return { kind: "unknown", reason: errorReason };
      // "Already used" for an authorization our own relayer sent is our settlement, mined or on
      // its way: the chain says which (reconciliation), never a refusal of the payer.
      if (!transaction && errorReason && /nonce_already_used|authorization.*used/i.test(errorReason)) {
        const authorization = (payload.payload as { authorization?: { from?: unknown; nonce?: unknown } })
          .authorization;
        if (
          typeof authorization?.from === "string" &&
          typeof authorization.nonce === "string" &&
          (await relayer.sentFor({ from: authorization.from, nonce: authorization.nonce }))
        )
          return { kind: "unknown", reason: errorReason };
      }
      return { kind: "failed", reason: errorReason ?? "settlement_failed", transaction };
    },
  };
}

function unavailable(error: unknown): FacilitatorUnavailableError {
  if (error instanceof FacilitatorUnavailableError) return error;
  if (error instanceof RelayerError && error.kind === "unfunded") {
    return new FacilitatorUnavailableError(
      "The payment relayer is out of gas money; try again later.",
      "relayer_unfunded",
    );
  }
  return new FacilitatorUnavailableError(`The payment facilitator is unreachable: ${shortMessage(error)}`);
}

function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0]?.slice(0, 200) ?? "unknown error";
}

export function createInProcessFacilitator(opts: {
  rpcUrl: string;
  chainId: number;
  network: `eip155:${number}`;
  relayerPrivateKey: `0x${string}`;
  /** Where the relayer keeps its nonces and sent transactions (shared by every process on the key). */
  db: Db | (() => Promise<Db>);
  maxFeeGwei?: number;
  receiptTimeoutMs?: number;
  /**
   * Smart-wallet factories the relayer may call to deploy a counterfactual (ERC-6492) payer before
   * its first settlement, at the relayer's gas cost. Empty: such payers are refused.
   */
  walletFactories?: readonly `0x${string}`[];
}): Facilitator & { relayer: Relayer } {
  const relayer = createRelayer({
    rpcUrl: opts.rpcUrl,
    chainId: opts.chainId,
    privateKey: opts.relayerPrivateKey,
    db: opts.db,
    maxFeeGwei: opts.maxFeeGwei,
    receiptTimeoutMs: opts.receiptTimeoutMs,
  });
  const facilitator = new x402Facilitator();
  // simulateInSettle: settle re-verifies anyway; with the simulation it is a complete check, so
  // Kiosk asks once (see Facilitator.verifiesOnSettle) and never sends a transaction that would revert.
  registerExactEvmScheme(facilitator, {
    signer: relayer,
    networks: opts.network,
    simulateInSettle: true,
    eip6492AllowedFactories: [...(opts.walletFactories ?? [])],
  });
  const status = async (): Promise<FacilitatorStatus> => {
    const r = await relayer.relayerStatus();
    const problem =
      r.balanceWei === null
        ? "the relayer's balance could not be read"
        : r.balanceWei < RELAYER_LOW_BALANCE_WEI
          ? "the relayer is low on gas money"
          : r.paused
            ? "settlements are paused while a stuck relayer transaction clears"
            : null;
    return {
      ok: problem === null,
      detail: problem ?? "in-process relayer ready",
      relayer: { ...r, balanceWei: r.balanceWei?.toString() ?? null },
    };
  };
  return { ...wrap("in-process", facilitator, relayer.track, relayer), relayer, status };
}

export function createHttpFacilitator(opts: {
  url: string;
  timeoutMs?: number;
  /** CDP API key (Base mainnet via api.cdp.coinbase.com): every request carries a short-lived JWT. */
  cdp?: { keyId: string; keySecret: string } | null;
}): Facilitator {
  const cdp = opts.cdp;
  const client = new HTTPFacilitatorClient({
    url: opts.url,
    timeoutMs: opts.timeoutMs ?? 15_000,
    createAuthHeaders: cdp
      ? async () => {
          const [verify, settle, supported] = await Promise.all([
            cdpHeaders(opts.url, "POST", "verify", cdp),
            cdpHeaders(opts.url, "POST", "settle", cdp),
            cdpHeaders(opts.url, "GET", "supported", cdp),
          ]);
          return { verify, settle, supported };
        }
      : undefined,
  });
  const status = async (): Promise<FacilitatorStatus> => {
    try {
      const supported = await client.getSupported();
      return { ok: true, detail: `hosted facilitator answers (${supported.kinds.length} payment kinds)` };
    } catch (error) {
      console.warn("[kiosk] facilitator health check failed:", shortMessage(error));
      return { ok: false, detail: "the hosted facilitator did not answer" };
    }
  };
  return { ...wrap("http", client), status };
}

/** A CDP request JWT names one method, host and path (its `uris` claim); the SDK builds and signs it. */
async function cdpHeaders(
  base: string,
  method: "GET" | "POST",
  path: string,
  cdp: { keyId: string; keySecret: string },
): Promise<Record<string, string>> {
  const { generateJwt } = await import("@coinbase/cdp-sdk/auth");
  const url = new URL(`${base.replace(/\/$/, "")}/${path}`);
  const jwt = await generateJwt({
    apiKeyId: cdp.keyId,
    apiKeySecret: cdp.keySecret,
    requestMethod: method,
    requestHost: url.host,
    requestPath: url.pathname,
  });
  return { Authorization: `Bearer ${jwt}` };
}
