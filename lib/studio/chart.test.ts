import { describe, expect, it } from "vitest";
import { niceMax, revenueChart, shortDate } from "./chart";

const days = (amounts: bigint[], refunded: bigint[] = []) =>
  amounts.map((a, i) => ({
    day: `2030-03-${String(i + 1).padStart(2, "0")}`,
    sales: a > 0n ? 1 : 0,
    revenueAtomic: a,
    refunds: (refunded[i] ?? 0n) > 0n ? 1 : 0,
    refundedAtomic: refunded[i] ?? 0n,
  }));

describe("revenue chart geometry", () => {
  it("scales to a round maximum of at least a cent", () => {
    expect(niceMax(0n)).toBe(10_000n);
    expect(niceMax(10_001n)).toBe(20_000n);
    expect(niceMax(240_000n)).toBe(500_000n);
    expect(niceMax(1_000_000n)).toBe(1_000_000n);
  });

  it("draws one bar per day with revenue, proportional, inside the plot", () => {
    const chart = revenueChart(days([0n, 250_000n, 500_000n]));
    const [empty, half, full] = chart.bars;
    expect(empty?.height).toBe(0);
    expect(full?.height).toBeCloseTo(chart.plot.bottom - chart.plot.top, 0);
    expect(half?.height).toBeCloseTo((full?.height ?? 0) / 2, 0);
    for (const b of chart.bars) {
      expect(b.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(b.x + b.width).toBeLessThanOrEqual(chart.plot.right);
    }
    expect(full?.label).toBe("2030-03-03: $0.50 from 1 sale");
    expect(chart.ticks.map((t) => t.label)).toEqual(["$0.00", "$0.25", "$0.50"]);
    expect(chart.total).toBe(750_000n);
  });

  it("keeps a tiny sale visible next to a big one", () => {
    const chart = revenueChart(days([1n, 1_000_000_000n]));
    expect(chart.bars[0]?.height).toBe(1);
  });

  it("marks the refunded part of a day's bar and says so in its label", () => {
    const chart = revenueChart(days([500_000n, 500_000n], [0n, 250_000n]));
    const [kept, halfRefunded] = chart.bars;
    expect(kept?.refundedHeight).toBe(0);
    expect(halfRefunded?.refundedHeight).toBeCloseTo((halfRefunded?.height ?? 0) / 2, 0);
    expect(halfRefunded?.label).toBe("2030-03-02: $0.50 from 1 sale, $0.25 refunded (1 refund)");
    expect(chart.refunded).toBe(250_000n);
    expect(chart.total).toBe(1_000_000n);
  });

  it("labels days briefly", () => {
    expect(shortDate("2030-03-05")).toBe("Mar 5");
  });
});
