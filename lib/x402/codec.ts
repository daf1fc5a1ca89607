// Decoding of the client's payment headers, strict enough to face the open internet.
// The official decoders (`decodePaymentSignatureHeader`) throw on bad input and accept any size;
// Kiosk needs a bounded, non-throwing parse that says precisely what was wrong, so the base64 and
// JSON steps are here and the shape checks reuse the official zod schemas plus an EIP-3009 schema.
import { PaymentPayloadV1Schema, PaymentPayloadV2Schema } from "@x402/core/schemas";
import { z } from "zod";
import type { ExactEvmAuthorization, PaymentPayload } from "./types";

/** Real payloads are ~1 KB; anything much larger is junk or an attack. */
export const MAX_PAYMENT_HEADER_BYTES = 8 * 1024;

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `expected ${bytes} bytes of 0x-hex`);
const uintString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "expected a non-negative decimal integer string");

export const exactEvmPayloadSchema = z.object({
  signature: z
    .string()
    .regex(/^0x([0-9a-fA-F]{2})+$/, "signature must be 0x-hex")
    .max(4096),
  authorization: z.object({
    from: hex(20),
    to: hex(20),
    value: uintString,
    validAfter: uintString,
    validBefore: uintString,
    nonce: hex(32),
  }),
});

export type DecodedPayment = {
  x402Version: 1 | 2;
  payload: PaymentPayload;
  /** v1 only: the scheme/network named at the top level of the payload. */
  v1?: { scheme: string; network: string };
  signature: `0x${string}`;
  authorization: ExactEvmAuthorization;
};

export type DecodeResult = { kind: "ok"; payment: DecodedPayment } | { kind: "malformed"; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1): base64(JSON PaymentPayload). */
export function decodePaymentHeader(value: string, header: "PAYMENT-SIGNATURE" | "X-PAYMENT"): DecodeResult {
  const trimmed = value.trim();
  if (trimmed.length === 0) return { kind: "malformed", reason: `${header} is empty` };
  if (trimmed.length > MAX_PAYMENT_HEADER_BYTES) {
    return { kind: "malformed", reason: `${header} is larger than ${MAX_PAYMENT_HEADER_BYTES} bytes` };
  }
  if (!BASE64.test(trimmed) || trimmed.length % 4 === 1) {
    return { kind: "malformed", reason: `${header} is not standard base64` };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(trimmed, "base64").toString("utf8"));
  } catch {
    return { kind: "malformed", reason: `${header} does not decode to JSON` };
  }
  const expectedVersion = header === "X-PAYMENT" ? 1 : 2;
  const version = (json as { x402Version?: unknown } | null)?.x402Version;
  if (version !== expectedVersion) {
    return { kind: "malformed", reason: `${header} must carry x402Version ${expectedVersion}` };
  }
  const parsed =
    expectedVersion === 2 ? PaymentPayloadV2Schema.safeParse(json) : PaymentPayloadV1Schema.safeParse(json);
  if (!parsed.success) return { kind: "malformed", reason: describe(header, parsed.error) };
  const inner = exactEvmPayloadSchema.safeParse(parsed.data.payload);
  if (!inner.success) {
    return { kind: "malformed", reason: describe(`${header} payload`, inner.error) };
  }
  const data = parsed.data as PaymentPayload & { scheme?: string; network?: string };
  return {
    kind: "ok",
    payment: {
      x402Version: expectedVersion,
      payload: data,
      v1: expectedVersion === 1 ? { scheme: String(data.scheme), network: String(data.network) } : undefined,
      signature: inner.data.signature as `0x${string}`,
      authorization: inner.data.authorization as ExactEvmAuthorization,
    },
  };
}

function describe(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  return `${what} is invalid${where}: ${issue?.message ?? "unknown problem"}`;
}

export function encodeBase64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}
