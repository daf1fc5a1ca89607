// What one payment costs the chain and the database once the process is warm, counted through the
// JSON-RPC proxy in front of a real anvil and the database's statement counter: the figures
// `npm run bench` reports, pinned so a change that adds a round trip to every payment shows here.
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PricedResource } from "../content/catalog";
import { startHarness, type Harness } from "./testing";

let h: Harness;
const ARTICLES = ["the-long-wait-for-402", "what-a-penny-costs-to-move"];
const DATA = "markets/stablecoin-supply.json";

beforeAll(async () => {
  h = await startHarness({ proxy: true });
});
afterAll(async () => {
  await h?.stop();
});

/** Pays `resource` as `reader` and returns the chain calls (by method) and statements it took. */
async function pay(resource: PricedResource, reader: number) {
  const required = decodePaymentRequiredHeader((await h.request(resource)).headers.get("payment-required")!);
  const header = encodePaymentSignatureHeader(await h.pay(h.readers[reader]!, required));
  h.proxy!.reset();
  const before = h.queries();
  const r = await h.request(resource, { headers: { "payment-signature": header } });
  expect(r.status).toBe(200);
  const methods: Record<string, number> = {};
  for (const c of h.proxy!.calls) methods[c.method] = (methods[c.method] ?? 0) + 1;
  // The fee is read from the latest block at most every few seconds: whether this payment is the
  // one that reads it depends on the clock, so it is left out of the exact figures.
  delete methods.eth_getBlockByNumber;
  return { methods, statements: h.queries() - before };
}

describe("one payment, warm", () => {
  it("a code-less payer paying for the first time sends no eth_getCode: its signature recovered to it locally", async () => {
    // Warm-up by another payer: the relayer's first nonce and the token's code are read once per process.
    await pay(await h.data(DATA), 0);
    const first = await pay(await h.data(DATA), 1);
    expect(first.methods).toEqual({
      eth_call: 1, // the settlement simulated from the relayer, as it will be sent
      eth_sendRawTransaction: 1,
      eth_getTransactionReceipt: 1,
    });
  });

  it("a per-request data payment sends five statements, a lasting article six", async () => {
    const data = await pay(await h.data(DATA), 2);
    // reserve, mark settling, relayer nonce + transaction, relayer mined, record the settlement
    expect(data.statements).toBe(5);
    const article = await pay(await h.article(ARTICLES[0]!), 3);
    // the same, and the check for an active purchase of the article before settling
    expect(article.statements).toBe(6);
    expect(article.methods).toEqual({ eth_call: 1, eth_sendRawTransaction: 1, eth_getTransactionReceipt: 1 });
  });
});
