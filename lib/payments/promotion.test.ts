// Promotional prices through the paid-request wrapper, against a real anvil chain, the test USDC,
// the in-process facilitator and PGlite, paid with the official x402 v2 client. The price is
// computed from the schedule and the request's clock (ctx.now), so a test moves the clock across a
// promotion's start and end; the chain keeps real time, which every authorization here fits.
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articles, payments } from "../db/schema";
import { MAX_TIMEOUT_SECONDS } from "../x402/requirements";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { startHarness, type Harness } from "./testing";

let h: Harness;
const SLUG = "the-long-wait-for-402"; // $0.05 regular, 30 days
const REGULAR = 50_000n;
const PROMO = 20_000n;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function promote(startsAt: Date, endsAt: Date) {
  await h.db.db
    .update(articles)
    .set({ promoPriceAtomic: PROMO, promoStartsAt: startsAt, promoEndsAt: endsAt })
    .where(eq(articles.slug, SLUG));
}

const at = (now: Date) => ({ ctx: { now: () => now } });
const sig = (p: PaymentPayload) => ({ "payment-signature": encodePaymentSignatureHeader(p) });
async function quote(now: Date): Promise<{ required: PaymentRequired; body: Record<string, unknown> }> {
  const r = await h.request(await h.article(SLUG), at(now));
  expect(r.status).toBe(402);
  return { required: decodePaymentRequiredHeader(r.headers.get("payment-required")!), body: await r.json() };
}
// Each test pays with its own reader, so what a reader was charged for the article is that test's.
const settledAmounts = async (payer: string) =>
  (
    await h.db.db
      .select({ amount: payments.amountAtomic })
      .from(payments)
      .where(
        and(
          eq(payments.resource, `article:${SLUG}`),
          eq(payments.payer, payer.toLowerCase()),
          eq(payments.status, "settled"),
        ),
      )
  ).map((p) => p.amount);

describe("a promotion's 402s, to the second", () => {
  it("asks the regular price before the start, the promotional one from the start, the regular one from the end", async () => {
    const start = new Date(Date.now() + 60_000);
    const end = new Date(start.getTime() + 3_600_000);
    await promote(start, end);
    const before = await quote(new Date(start.getTime() - 1));
    expect(before.required.accepts[0]!.amount).toBe(REGULAR.toString());
    expect(before.body.price).not.toHaveProperty("regular");

    const during = await quote(start);
    expect(during.required.accepts[0]!.amount).toBe(PROMO.toString());
    expect(during.body.price).toMatchObject({
      amount: "20000",
      display: "$0.02",
      regular: { amount: "50000", display: "$0.05" },
      promotionEndsAt: end.toISOString(),
    });
    expect((await quote(new Date(end.getTime() - 1))).required.accepts[0]!.amount).toBe(PROMO.toString());

    const after = await quote(end);
    expect(after.required.accepts[0]!.amount).toBe(REGULAR.toString());
    expect(after.body.price).not.toHaveProperty("regular");
  });
});

describe("paying a promotional price", () => {
  it("charges the promotional price while the promotion runs", async () => {
    const reader = h.readers[0]!;
    await promote(new Date(Date.now() - 60_000), new Date(Date.now() + 3_600_000));
    const now = new Date();
    const { required } = await quote(now);
    const before = await h.balance(reader.address);
    const r = await h.request(await h.article(SLUG), {
      ...at(now),
      headers: sig(await h.pay(reader, required)),
    });
    expect(r.status).toBe(200);
    expect(before - (await h.balance(reader.address))).toBe(PROMO);
    expect(await settledAmounts(reader.address)).toEqual([PROMO]);
  });

  it("settles a payment signed for the promotional price just before the end, after the end", async () => {
    const reader = h.readers[1]!;
    const end = new Date(Date.now() + 60_000);
    await promote(new Date(Date.now() - 3_600_000), end);
    // Signed while the promotion ran (the official client: validBefore = now + maxTimeoutSeconds)...
    const { required } = await quote(new Date(end.getTime() - 1_000));
    const payment = await h.pay(reader, required);
    const before = await h.balance(reader.address);
    // ...and arriving ten seconds after it ended, when new 402s ask the regular price.
    const late = new Date(end.getTime() + 10_000);
    expect((await quote(late)).required.accepts[0]!.amount).toBe(REGULAR.toString());
    const r = await h.request(await h.article(SLUG), { ...at(late), headers: sig(payment) });
    expect(r.status).toBe(200);
    expect(before - (await h.balance(reader.address))).toBe(PROMO);
    expect(await settledAmounts(reader.address)).toEqual([PROMO]);
  });

  it("does not settle that payment after its own validBefore", async () => {
    const reader = h.readers[2]!;
    const end = new Date(Date.now() + 60_000);
    await promote(new Date(Date.now() - 3_600_000), end);
    const { required } = await quote(new Date(end.getTime() - 1_000));
    const payment = await h.pay(reader, required);
    const validBefore = Number(
      (payment.payload as { authorization: { validBefore: string } }).authorization.validBefore,
    );
    expect(validBefore).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + MAX_TIMEOUT_SECONDS + 1);
    const before = await h.balance(reader.address);
    const r = await h.request(await h.article(SLUG), {
      ...at(new Date((validBefore + 1) * 1000)),
      headers: sig(payment),
    });
    expect(r.status).toBe(402);
    expect((await r.json()).error).toMatch(/expired/);
    expect(await h.balance(reader.address)).toBe(before);
    expect(await settledAmounts(reader.address)).toEqual([]);
  });

  it("refuses the promotional price for a payment that could only have been signed after the end", async () => {
    const reader = h.readers[3]!;
    // Ended an hour ago: any authorization valid now was signed long after it.
    await promote(new Date(Date.now() - 7_200_000), new Date(Date.now() - 3_600_000));
    const { required } = await quote(new Date());
    const cheap = { ...required, accepts: [{ ...required.accepts[0]!, amount: PROMO.toString() }] };
    const before = await h.balance(reader.address);
    const r = await h.request(await h.article(SLUG), { headers: sig(await h.pay(reader, cheap)) });
    expect(r.status).toBe(402);
    expect((await r.json()).error).toMatch(/wrong amount: the price is 50000/);
    expect(await h.balance(reader.address)).toBe(before);
    expect(await settledAmounts(reader.address)).toEqual([]);
  });
});
