import { describe, expect, it } from "vitest";
import { MAX_TIMEOUT_SECONDS, VALID_BEFORE_SKEW_SECONDS } from "../x402/requirements";
import { endedPromotionPrice, priceAt, pricePeriod, priceShown, promotionOf } from "./pricing";

const START = new Date("2026-12-01T00:00:00Z");
const END = new Date("2026-12-08T00:00:00Z");
const item = {
  regularPriceAtomic: 50_000n,
  promotion: { priceAtomic: 20_000n, startsAt: START, endsAt: END },
};
const at = (d: Date, ms: number) => new Date(d.getTime() + ms);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

describe("a promotion's price, to the second", () => {
  it("is the regular price before the start, the promotional one from the start, the regular one from the end", () => {
    expect(priceAt(item, at(START, -1))).toBe(50_000n);
    expect(priceAt(item, START)).toBe(20_000n);
    expect(priceAt(item, at(END, -1))).toBe(20_000n);
    expect(priceAt(item, END)).toBe(50_000n);
    expect(priceAt({ regularPriceAtomic: 50_000n, promotion: null }, START)).toBe(50_000n);
  });

  it("shows the regular price and the end only while the promotion runs", () => {
    expect(priceShown(item, START)).toEqual({
      amount: "20000",
      regularAmount: "50000",
      promotionEndsAt: END.toISOString(),
    });
    expect(priceShown(item, END)).toEqual({ amount: "50000" });
    expect(priceShown(item, at(START, -1))).toEqual({ amount: "50000" });
  });

  it("reads a promotion from a row only when all three columns are set", () => {
    expect(promotionOf({ promoPriceAtomic: 1n, promoStartsAt: START, promoEndsAt: END })).toEqual({
      priceAtomic: 1n,
      startsAt: START,
      endsAt: END,
    });
    expect(promotionOf({ promoPriceAtomic: 1n, promoStartsAt: START, promoEndsAt: null })).toBeNull();
    expect(promotionOf({ promoPriceAtomic: null, promoStartsAt: START, promoEndsAt: END })).toBeNull();
  });
});

describe("a payment signed for the promotional price just before the end", () => {
  // The latest validBefore an authorization signed while the promotion ran can carry.
  const latest = seconds(END) + MAX_TIMEOUT_SECONDS + VALID_BEFORE_SKEW_SECONDS;

  it("keeps the promotional price after the end when its validBefore fits inside the promotion's offer", () => {
    const signedAtTheEnd = { value: "20000", validBefore: String(seconds(END) + MAX_TIMEOUT_SECONDS) };
    expect(endedPromotionPrice(item, at(END, 10_000), signedAtTheEnd)).toBe(20_000n);
    expect(endedPromotionPrice(item, at(END, 10_000), { value: "20000", validBefore: String(latest) })).toBe(
      20_000n,
    );
  });

  it("does not when it could only have been signed after the end, names another amount, or the promotion still runs", () => {
    expect(
      endedPromotionPrice(item, at(END, 10_000), { value: "20000", validBefore: String(latest + 1) }),
    ).toBe(null);
    expect(endedPromotionPrice(item, at(END, 10_000), { value: "20001", validBefore: String(latest) })).toBe(
      null,
    );
    expect(endedPromotionPrice(item, at(END, -1), { value: "20000", validBefore: String(latest) })).toBe(
      null,
    );
    expect(endedPromotionPrice(item, END, { value: "20000", validBefore: "not a number" })).toBe(null);
    expect(endedPromotionPrice({ ...item, promotion: null }, END, { value: "20000", validBefore: "1" })).toBe(
      null,
    );
  });
});

describe("caching what lists prices", () => {
  const other = { key: "b", regularPriceAtomic: 1n, promotion: null };
  it("names which items are under a running promotion, so a cached document changes with the clock", () => {
    expect(pricePeriod([{ key: "a", ...item }, other], at(START, -1))).toBe("");
    expect(pricePeriod([{ key: "a", ...item }, other], START)).toBe("a");
    expect(pricePeriod([{ key: "a", ...item }, other], END)).toBe("");
  });
});
