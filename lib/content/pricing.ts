// What an item costs at a moment. A promotion is a price with a start and an end; the price is
// computed from the schedule and the clock on every request, so a cached catalogue row can never
// serve a promotion that has ended (nor miss one that has begun), and a timed change needs no
// cache invalidation. Pure: no database, no env.
import { MAX_TIMEOUT_SECONDS, VALID_BEFORE_SKEW_SECONDS } from "../x402/requirements";

export type Promotion = { priceAtomic: bigint; startsAt: Date; endsAt: Date };

/** The promotion a row describes, or null when its three columns are not all set. */
export function promotionOf(row: {
  promoPriceAtomic: bigint | null;
  promoStartsAt: Date | null;
  promoEndsAt: Date | null;
}): Promotion | null {
  if (row.promoPriceAtomic === null || !row.promoStartsAt || !row.promoEndsAt) return null;
  return { priceAtomic: row.promoPriceAtomic, startsAt: row.promoStartsAt, endsAt: row.promoEndsAt };
}

/** Whether the promotion runs at `now`: from its start, up to but not including its end. */
export function promotionRuns(p: Promotion | null, now: Date): p is Promotion {
  return p !== null && p.startsAt.getTime() <= now.getTime() && now.getTime() < p.endsAt.getTime();
}

export type Priced = { regularPriceAtomic: bigint; promotion: Promotion | null };

/** The price charged at `now`: the promotion's while it runs, the regular price otherwise. */
export function priceAt(item: Priced, now: Date): bigint {
  return promotionRuns(item.promotion, now) ? item.promotion.priceAtomic : item.regularPriceAtomic;
}

/** The promotion running at `now` (for showing the regular price struck through), or null. */
export function runningPromotion(item: Priced, now: Date): Promotion | null {
  return promotionRuns(item.promotion, now) ? item.promotion : null;
}

/**
 * A payment signed for the promotional price just before the promotion ended still buys the item:
 * it was the offer the reader accepted. An authorization's `validBefore` is capped at the offer's
 * `maxTimeoutSeconds` plus skew from the moment it is checked, so one whose `validBefore` is within
 * that of the end could have been signed while the promotion ran; a later one could not. Returns
 * the promotional price it may be charged at, or null.
 */
export function endedPromotionPrice(
  item: Priced,
  now: Date,
  authorization: { value: string; validBefore: string },
): bigint | null {
  const p = item.promotion;
  if (!p || now.getTime() < p.endsAt.getTime()) return null;
  if (authorization.value !== p.priceAtomic.toString()) return null;
  const latestSeconds =
    Math.floor(p.endsAt.getTime() / 1000) + MAX_TIMEOUT_SECONDS + VALID_BEFORE_SKEW_SECONDS;
  let validBefore: bigint;
  try {
    validBefore = BigInt(authorization.validBefore);
  } catch {
    return null;
  }
  return validBefore <= BigInt(latestSeconds) ? p.priceAtomic : null;
}

/**
 * A price as the site's JSON shows it: what is charged now, and while a promotion runs, the regular
 * price (shown struck through) and when the promotion ends.
 */
export type PriceShown = { amount: string; regularAmount?: string; promotionEndsAt?: string };

export function priceShown(item: Priced, now: Date): PriceShown {
  const p = runningPromotion(item, now);
  return p
    ? {
        amount: p.priceAtomic.toString(),
        regularAmount: item.regularPriceAtomic.toString(),
        promotionEndsAt: p.endsAt.toISOString(),
      }
    : { amount: item.regularPriceAtomic.toString() };
}

/** The pricing of a catalogue row: its regular price and its promotion. */
export function pricedRow(row: {
  priceAtomic: bigint;
  promoPriceAtomic: bigint | null;
  promoStartsAt: Date | null;
  promoEndsAt: Date | null;
}): Priced {
  return { regularPriceAtomic: row.priceAtomic, promotion: promotionOf(row) };
}

/**
 * Which of these items are under a running promotion at `now`, as a string: a document built from
 * the catalogue and cached under it stays right while this stays the same.
 */
export function pricePeriod(items: Iterable<Priced & { key: string }>, now: Date): string {
  const running: string[] = [];
  for (const item of items) if (promotionRuns(item.promotion, now)) running.push(item.key);
  return running.join(",");
}
