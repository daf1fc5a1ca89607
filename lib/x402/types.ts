// Wire types for x402 v2 (and the v1 shapes Kiosk also serves), re-exported from the official
// package so Kiosk and the reference client agree on every field.
export type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
  VerifyResponse,
} from "@x402/core/types";

/** The EIP-3009 payload carried by the `exact` scheme on EVM (spec: schemes/exact/scheme_exact_evm.md). */
export type ExactEvmAuthorization = {
  from: `0x${string}`;
  to: `0x${string}`;
  value: string;
  validAfter: string;
  validBefore: string;
  nonce: `0x${string}`;
};
