// The one module that turns USDC amounts into text and text into amounts. Amounts are bigint
// atomic units (USDC has 6 decimals: 10000n = $0.01); no floats come near them.

export const USDC_DECIMALS = 6;
const UNIT = 10n ** BigInt(USDC_DECIMALS);

/** The largest price we accept from a form: $1,000,000. Anything above is a typo, not a price. */
export const MAX_PRICE_ATOMIC = 1_000_000n * UNIT;
/**
 * The smallest price a publisher may set: $0.001. Every settlement costs the relayer gas, so a
 * price of a few atomic units would let a publisher buying from themselves spend the relayer's
 * funds for almost nothing.
 */
export const MIN_PRICE_ATOMIC = 1_000n;

/** Access windows offered to publishers, in seconds; `null` (forever) is the fourth choice. */
export const ACCESS_WINDOWS = {
  day: 86_400,
  week: 604_800,
  month: 2_592_000,
} as const;

/**
 * `10000n` → "$0.01", `1234567n` → "$1.234567", `1500000000n` → "$1,500.00". Always at least two
 * decimals (it is money), more only when the amount has them.
 */
export function formatUsdc(atomic: bigint): string {
  const sign = atomic < 0n ? "-" : "";
  const abs = atomic < 0n ? -atomic : atomic;
  const whole = (abs / UNIT).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % UNIT).toString().padStart(USDC_DECIMALS, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}$${whole}.${fraction}`;
}

/** For machines: `50000n` → "0.05", `1500000000n` → "1500.00" (no sign, no thousands separators). */
export function toUsdcDecimal(atomic: bigint): string {
  const sign = atomic < 0n ? "-" : "";
  const abs = atomic < 0n ? -atomic : atomic;
  const fraction = (abs % UNIT).toString().padStart(USDC_DECIMALS, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}${abs / UNIT}.${fraction}`;
}

/** What a reader sees next to a title: "Free" or "$0.05". */
export function formatPrice(atomic: bigint): string {
  return atomic === 0n ? "Free" : formatUsdc(atomic);
}

export type ParseUsdcResult = { ok: true; value: bigint } | { ok: false; message: string };

/**
 * Parses what a publisher types as a price ("0.05", "$1", ".5") into atomic units. Commas are
 * refused rather than guessed at: "0,05" is five cents in half the world and five dollars here.
 */
export function parseUsdc(input: string): ParseUsdcResult {
  const text = input.trim().replace(/^\$/, "").trim();
  if (text === "") return { ok: false, message: "Enter a price in dollars, like 0.05." };
  if (text.startsWith("-")) return { ok: false, message: "A price can't be negative." };
  if (text.includes(","))
    return { ok: false, message: "Use a dot for cents and no thousands separators, like 1000.50." };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  const [, whole = "", fraction = ""] = match ?? [];
  if (!match || (whole === "" && fraction === "")) {
    return { ok: false, message: "Enter a price in dollars, like 0.05." };
  }
  if (fraction.length > USDC_DECIMALS) {
    return { ok: false, message: `USDC has at most ${USDC_DECIMALS} decimal places.` };
  }
  const value = BigInt(whole || "0") * UNIT + BigInt(fraction.padEnd(USDC_DECIMALS, "0"));
  if (value > MAX_PRICE_ATOMIC) {
    return { ok: false, message: `A price can be at most ${formatUsdc(MAX_PRICE_ATOMIC)}.` };
  }
  return { ok: true, value };
}

/** `86400` → "24 hours", `604800` → "7 days", `null` → "forever". */
export function formatAccessWindow(seconds: number | null): string {
  if (seconds === null) return "forever";
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new RangeError(`access window must be a positive whole number of seconds, got ${seconds}`);
  }
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  // A day reads better as "24 hours"; from two days on, days.
  if (seconds % 86_400 === 0 && seconds > 86_400) return plural(seconds / 86_400, "day");
  if (seconds % 3_600 === 0) return plural(seconds / 3_600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}
