// x402 v1 clients (`x402-fetch` 1.x) name networks ("base-sepolia"), not chain ids, so this runs
// a private anvil under Base Sepolia's chain id (84532) with the test USDC, and pays with the v1
// package's own fetch wrapper, encoder and schemas.
import { afterAll, beforeAll, expect, it } from "vitest";
import { wrapFetchWithPayment, decodeXPaymentResponse } from "x402-fetch";
import { PaymentRequirementsSchema } from "x402/types";
import { startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ chainId: 84532, v1Name: "base-sepolia" });
});
afterAll(async () => {
  await h?.stop();
});

it("serves v1 accepts in the 402 body that the v1 schema accepts", async () => {
  const r = await h.request(await h.article("the-long-wait-for-402"));
  expect(r.status).toBe(402);
  const body = await r.json();
  expect(body.x402Version).toBe(1);
  expect(body.accepts).toHaveLength(1);
  expect(PaymentRequirementsSchema.parse(body.accepts[0])).toMatchObject({
    scheme: "exact",
    network: "base-sepolia",
    maxAmountRequired: "50000",
    resource: "http://kiosk.test/api/articles/the-long-wait-for-402",
  });
});

it("an x402-fetch 1.x client pays with X-PAYMENT and gets the article and X-PAYMENT-RESPONSE", async () => {
  const res = await h.article("the-long-wait-for-402");
  const before = await h.balance(h.chain.devnet.payTo);
  const v1Fetch = wrapFetchWithPayment(
    (async (_input: RequestInfo | URL, init?: RequestInit) =>
      h.request(res, { headers: Object.fromEntries(new Headers(init?.headers)) })) as typeof fetch,
    h.readers[0]! as never,
  );
  const r = await v1Fetch(h.ctx.origin + res.apiPath);
  expect(r.status, await r.clone().text()).toBe(200);
  const settle = decodeXPaymentResponse(r.headers.get("x-payment-response")!);
  expect(settle.success).toBe(true);
  expect(await h.balance(h.chain.devnet.payTo)).toBe(before + 50_000n);
});
