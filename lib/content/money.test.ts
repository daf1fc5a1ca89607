import { describe, expect, it } from "vitest";
import {
  formatAccessWindow,
  formatPrice,
  formatUsdc,
  MAX_PRICE_ATOMIC,
  parseUsdc,
  toUsdcDecimal,
} from "./money";

describe("formatUsdc", () => {
  it.each([
    [10000n, "$0.01"],
    [50000n, "$0.05"],
    [1234567n, "$1.234567"],
    [0n, "$0.00"],
    [1n, "$0.000001"],
    [100000n, "$0.10"],
    [1000000n, "$1.00"],
    [1500000n, "$1.50"],
    [1234560000n, "$1,234.56"],
    [MAX_PRICE_ATOMIC, "$1,000,000.00"],
    [-10000n, "-$0.01"],
  ])("formats %s as %s", (atomic, text) => {
    expect(formatUsdc(atomic)).toBe(text);
  });

  it("is exact far beyond float precision", () => {
    expect(formatUsdc(9_007_199_254_740_993_123n)).toBe("$9,007,199,254,740.993123");
  });
});

describe("toUsdcDecimal", () => {
  it("writes a plain decimal for machines: no $, no thousands separators", () => {
    expect(toUsdcDecimal(50_000n)).toBe("0.05");
    expect(toUsdcDecimal(1_234_567n)).toBe("1.234567");
    expect(toUsdcDecimal(1_500_000_000n)).toBe("1500.00");
    expect(toUsdcDecimal(0n)).toBe("0.00");
    // parseUsdc reads back what it writes
    expect(parseUsdc(toUsdcDecimal(1_500_000_000n))).toEqual({ ok: true, value: 1_500_000_000n });
  });
});

describe("formatPrice", () => {
  it("says Free for zero and dollars otherwise", () => {
    expect(formatPrice(0n)).toBe("Free");
    expect(formatPrice(50000n)).toBe("$0.05");
  });
});

describe("parseUsdc", () => {
  it.each([
    ["0.05", 50000n],
    ["0.01", 10000n],
    ["$0.05", 50000n],
    [" 1 ", 1000000n],
    [".5", 500000n],
    ["5.", 5000000n],
    ["0", 0n],
    ["1.234567", 1234567n],
    ["0.000001", 1n],
    ["1000000", MAX_PRICE_ATOMIC],
  ])("parses %j as %s", (text, value) => {
    expect(parseUsdc(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["", /Enter a price/],
    ["abc", /Enter a price/],
    ["NaN", /Enter a price/],
    ["Infinity", /Enter a price/],
    [".", /Enter a price/],
    ["1e3", /Enter a price/],
    ["0x10", /Enter a price/],
    ["1.2.3", /Enter a price/],
    ["-0.05", /negative/],
    ["0,05", /dot/],
    ["0.0000001", /6 decimal places/],
    ["1000000.000001", /at most \$1,000,000\.00/],
    ["99999999999999999999", /at most/],
  ])("rejects %j", (text, message) => {
    const result = parseUsdc(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("round-trips with formatUsdc", () => {
    for (const atomic of [1n, 10000n, 123456n, 1000000n, 987654321n]) {
      const parsed = parseUsdc(formatUsdc(atomic).replace(/,/g, ""));
      expect(parsed).toEqual({ ok: true, value: atomic });
    }
  });
});

describe("formatAccessWindow", () => {
  it.each([
    [86_400, "24 hours"],
    [604_800, "7 days"],
    [2_592_000, "30 days"],
    [null, "forever"],
    [3_600, "1 hour"],
    [172_800, "2 days"],
    [90, "90 seconds"],
    [120, "2 minutes"],
  ])("formats %s as %s", (seconds, text) => {
    expect(formatAccessWindow(seconds)).toBe(text);
  });

  it("refuses nonsense windows", () => {
    expect(() => formatAccessWindow(0)).toThrow(RangeError);
    expect(() => formatAccessWindow(-5)).toThrow(RangeError);
    expect(() => formatAccessWindow(1.5)).toThrow(RangeError);
  });
});
