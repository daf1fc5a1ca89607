import { PaymentRequirementsSchema } from "x402/types";
import { describe, expect, it } from "vitest";
import {
  buildRequirements,
  buildV1Accepts,
  checkAuthorization,
  matchAccepted,
  matchResource,
  paymentUri,
  requirementsFor,
  type ChainConfig,
} from "./requirements";
import type { DecodedPayment } from "./codec";

const sepolia: ChainConfig = {
  caip2: "eip155:84532",
  chainId: 84532,
  v1Name: "base-sepolia",
  usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  usdcName: "USDC",
  usdcVersion: "2",
};
const offer = {
  url: "https://k.example/api/articles/a",
  description: "A, full text",
  mimeType: "application/json",
  amount: 10_000n,
  payTo: "0x209693bc6afc0c5328ba36faf03c514ef312287c" as const,
};

describe("requirements", () => {
  it("builds the exact requirement with a checksummed payTo and the token's EIP-712 domain", () => {
    expect(buildRequirements(sepolia, offer)).toEqual({
      scheme: "exact",
      network: "eip155:84532",
      amount: "10000",
      asset: sepolia.usdc,
      payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
      maxTimeoutSeconds: 300,
      extra: { name: "USDC", version: "2" },
    });
  });

  it("offers a v1 form that the v1 package's own schema accepts, only where v1 can name the network", () => {
    const v1 = buildV1Accepts(sepolia, offer);
    expect(v1).toHaveLength(1);
    expect(PaymentRequirementsSchema.safeParse(v1![0]).success).toBe(true);
    expect(buildV1Accepts({ ...sepolia, v1Name: null }, offer)).toBeNull();
  });

  it("writes an EIP-681 transfer URI", () => {
    expect(paymentUri(sepolia, offer)).toBe(
      "ethereum:0x036CbD53842c5426634e7929541eC2318f3dCF7e@84532/transfer?address=0x209693Bc6afc0C5328bA36FaF03C514EF312287C&uint256=10000",
    );
  });

  it("names what an edited requirement changed", () => {
    const ours = buildRequirements(sepolia, offer);
    expect(matchAccepted(ours, ours).kind).toBe("match");
    expect(matchAccepted(ours, { ...ours, payTo: ours.payTo.toLowerCase() }).kind).toBe("match");
    expect(matchAccepted(ours, { ...ours, amount: "1" })).toMatchObject({
      reason: expect.stringMatching(/amount/),
    });
    expect(matchAccepted(ours, { ...ours, network: "eip155:8453" })).toMatchObject({
      reason: expect.stringMatching(/network/),
    });
    expect(matchAccepted(ours, { ...ours, extra: { name: "USD Coin", version: "2" } })).toMatchObject({
      reason: expect.stringMatching(/domain/),
    });
  });

  it("checks authorization bounds before any network call", () => {
    const ours = buildRequirements(sepolia, offer);
    const ok = { to: offer.payTo, value: "10000", validAfter: "0", validBefore: "1300" };
    expect(checkAuthorization(ours, ok, 1000).kind).toBe("match");
    expect(checkAuthorization(ours, { ...ok, validBefore: "1005" }, 1000).kind).toBe("mismatch");
    expect(checkAuthorization(ours, { ...ok, validAfter: "1001" }, 1000).kind).toBe("mismatch");
    expect(checkAuthorization(ours, { ...ok, value: "10001" }, 1000).kind).toBe("mismatch");
  });

  it("bounds validBefore: time to mine at the low end, maxTimeoutSeconds plus skew at the high end", () => {
    const ours = buildRequirements(sepolia, offer); // maxTimeoutSeconds 300
    const at = (validBefore: number) =>
      checkAuthorization(
        ours,
        { to: offer.payTo, value: "10000", validAfter: "0", validBefore: String(validBefore) },
        1000,
      );
    expect(at(999)).toMatchObject({ reason: expect.stringMatching(/expired/) });
    expect(at(1029)).toMatchObject({ reason: expect.stringMatching(/too soon/) });
    expect(at(1030).kind).toBe("match");
    expect(at(1360).kind).toBe("match");
    expect(at(1361)).toMatchObject({ reason: expect.stringMatching(/too long/) });
    // A year-long authorization (a bearer instrument for a year) is refused.
    expect(at(1000 + 365 * 86400).kind).toBe("mismatch");
  });
});

describe("requirementsFor", () => {
  const auth = {
    from: ("0x" + "11".repeat(20)) as `0x${string}`,
    to: offer.payTo,
    value: "10000",
    validAfter: "0",
    validBefore: "9999999999",
    nonce: ("0x" + "33".repeat(32)) as `0x${string}`,
  };
  const signature = ("0x" + "55".repeat(65)) as `0x${string}`;
  const v2 = (accepted: object): DecodedPayment => ({
    x402Version: 2,
    payload: { x402Version: 2, accepted, payload: { signature, authorization: auth } } as never,
    signature,
    authorization: auth,
  });
  const v1 = (scheme: string, network: string): DecodedPayment => ({
    x402Version: 1,
    payload: { x402Version: 1, scheme, network, payload: { signature, authorization: auth } } as never,
    v1: { scheme, network },
    signature,
    authorization: auth,
  });

  it("accepts a v2 payment that echoes the offer, and hands the facilitator the same v2 form", () => {
    const r = requirementsFor(sepolia, offer, v2(buildRequirements(sepolia, offer)));
    expect(r).toEqual({
      kind: "ok",
      requirements: buildRequirements(sepolia, offer),
      forFacilitator: buildRequirements(sepolia, offer),
    });
  });

  it("refuses a v2 payment whose echoed requirement was edited, naming the field", () => {
    const r = requirementsFor(sepolia, offer, v2({ ...buildRequirements(sepolia, offer), amount: "1" }));
    expect(r).toMatchObject({ kind: "mismatch", reason: expect.stringMatching(/amount/) });
  });

  it("checks a v1 payment on the v2 form but hands the facilitator the v1 form", () => {
    const r = requirementsFor(sepolia, offer, v1("exact", "base-sepolia"));
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(r.requirements).toEqual(buildRequirements(sepolia, offer));
    expect(r.forFacilitator).toEqual(buildV1Accepts(sepolia, offer)![0]);
    expect(PaymentRequirementsSchema.safeParse(r.forFacilitator).success).toBe(true);
  });

  it("refuses v1 where it cannot name the network, another scheme, or another network", () => {
    expect(requirementsFor({ ...sepolia, v1Name: null }, offer, v1("exact", "base-sepolia"))).toMatchObject({
      reason: expect.stringMatching(/x402 v2 on eip155:84532/),
    });
    expect(requirementsFor(sepolia, offer, v1("upto", "base-sepolia"))).toMatchObject({
      reason: 'unsupported scheme "upto"',
    });
    expect(requirementsFor(sepolia, offer, v1("exact", "base"))).toMatchObject({
      reason: "wrong network: this resource is paid on base-sepolia",
    });
  });
});

describe("matchResource", () => {
  const payload = (resource?: unknown) => ({ x402Version: 2, resource, accepted: {}, payload: {} }) as never;
  it("accepts a payment naming this resource's path (on any origin) or none at all", () => {
    expect(matchResource(payload({ url: offer.url }), offer).kind).toBe("match");
    expect(matchResource(payload({ url: "http://10.0.0.5:3000/api/articles/a" }), offer).kind).toBe("match");
    expect(matchResource(payload(undefined), offer).kind).toBe("match");
  });
  it("refuses a payment meant for another item, or naming something that is not a URL", () => {
    expect(matchResource(payload({ url: "https://k.example/api/articles/b" }), offer)).toMatchObject({
      reason: expect.stringMatching(/another resource/),
    });
    expect(matchResource(payload({ url: 42 }), offer).kind).toBe("mismatch");
    expect(matchResource(payload({ url: "not a url" }), offer).kind).toBe("mismatch");
  });
});
