import { encodePaymentSignatureHeader } from "@x402/core/http";
import { describe, expect, it } from "vitest";
import { decodePaymentHeader } from "./codec";

const auth = {
  from: "0x" + "11".repeat(20),
  to: "0x" + "22".repeat(20),
  value: "50000",
  validAfter: "0",
  validBefore: "9999999999",
  nonce: "0x" + "33".repeat(32),
};
const accepted = {
  scheme: "exact",
  network: "eip155:31337",
  amount: "50000",
  asset: "0x" + "44".repeat(20),
  payTo: auth.to,
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
};
const valid = {
  x402Version: 2 as const,
  accepted,
  payload: { signature: "0x" + "55".repeat(65), authorization: auth },
};

describe("decodePaymentHeader", () => {
  it("decodes what the official encoder writes", () => {
    const r = decodePaymentHeader(encodePaymentSignatureHeader(valid as never), "PAYMENT-SIGNATURE");
    expect(r.kind).toBe("ok");
    if (r.kind === "ok") expect(r.payment.authorization.value).toBe("50000");
  });

  it.each([
    ["empty", ""],
    ["not base64", "***"],
    ["not JSON", Buffer.from("hello").toString("base64")],
    ["JSON null", Buffer.from("null").toString("base64")],
    ["wrong version", Buffer.from(JSON.stringify({ ...valid, x402Version: 1 })).toString("base64")],
    ["missing payload", Buffer.from(JSON.stringify({ ...valid, payload: undefined })).toString("base64")],
    [
      "numeric value",
      Buffer.from(
        JSON.stringify({ ...valid, payload: { ...valid.payload, authorization: { ...auth, value: 5 } } }),
      ).toString("base64"),
    ],
    [
      "short nonce",
      Buffer.from(
        JSON.stringify({
          ...valid,
          payload: { ...valid.payload, authorization: { ...auth, nonce: "0x12" } },
        }),
      ).toString("base64"),
    ],
    ["huge", "A".repeat(100_000)],
  ])("refuses %s with a reason", (_name, value) => {
    const r = decodePaymentHeader(value, "PAYMENT-SIGNATURE");
    expect(r.kind).toBe("malformed");
    if (r.kind === "malformed") expect(r.reason).toMatch(/PAYMENT-SIGNATURE/);
  });
});
