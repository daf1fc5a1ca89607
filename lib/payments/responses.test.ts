import { decodePaymentRequiredHeader } from "@x402/core/http";
import { describe, expect, it } from "vitest";
import type { PricedResource } from "../content/catalog";
import { paymentRequiredBodySchema } from "../x402/payment-required-body";
import type { ChainConfig } from "../x402/requirements";
import { deliverWithReceipt, paymentRequired } from "./responses";

const chain: ChainConfig = {
  caip2: "eip155:84532",
  chainId: 84532,
  v1Name: null,
  usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  usdcName: "USDC",
  usdcVersion: "2",
};
const resource: PricedResource = {
  key: "article:a",
  kind: "article",
  apiPath: "/api/articles/a",
  pagePath: "/articles/a",
  title: "A",
  description: "A, full text",
  mimeType: "application/json",
  priceAtomic: 50_000n,
  regularPriceAtomic: 50_000n,
  promotion: null,
  accessWindowSeconds: 3600,
  payTo: "0x209693bc6afc0c5328ba36faf03c514ef312287c",
  publisherName: "P",
};
const ctx = {
  chain,
  secrets: { current: new TextEncoder().encode("x".repeat(32)), previous: null },
  secureCookies: false,
  now: () => new Date("2026-12-03T12:00:00Z"),
};
const offer = {
  url: "https://k.example/api/articles/a",
  description: resource.description,
  mimeType: resource.mimeType,
  amount: resource.priceAtomic,
  payTo: resource.payTo,
};

describe("responses", () => {
  it("a 402's body is what the shared schema (and so the paywall) reads, next to the official header", async () => {
    for (const v1Name of [null, "base-sepolia"]) {
      const res = await paymentRequired({ ...ctx, chain: { ...chain, v1Name } }, resource, {
        offer,
        error: "PAYMENT-SIGNATURE header is required",
      });
      expect(res.status).toBe(402);
      const body = paymentRequiredBodySchema.parse(await res.json());
      expect(body.x402Version).toBe(v1Name ? 1 : 2);
      expect(body.price).toMatchObject({ amount: "50000", display: "$0.05", network: "eip155:84532" });
      expect(body.transferQuote.expiresAt > "2026-12-03T12:00:00").toBe(true);
      expect(decodePaymentRequiredHeader(res.headers.get("payment-required")!).accepts[0]?.amount).toBe(
        "50000",
      );
    }
  });

  it("a receipt cookie lives as long as the access it grants, counted from the context's clock", async () => {
    const res = await deliverWithReceipt({ body: "{}", contentType: "application/json" }, resource, ctx, {
      payer: "0x" + "11".repeat(20),
      txHash: null,
      expiresAt: new Date("2026-12-03T13:00:00Z"),
      access: "paid",
      settle: null,
    });
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/Max-Age=3600(;|$)/);
  });
});
