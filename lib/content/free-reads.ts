// The free-read meter's rules as the domain states them (the signed cookie that counts is
// lib/meter.ts): how long a window lasts, how many free reads a publisher may offer, and how the
// page says what is left. Pure, so the studio's form can check as the publisher types.

/** A browser's free reads of a publisher count over 30 days from the first one. */
export const METER_WINDOW_MS = 30 * 86_400_000;
/** The most free reads a publisher may offer per window; keeps the cookie small. */
export const MAX_FREE_READS = 10;

/** "2 of 3 free reads left this month". */
export function freeReadsLeftLabel({ left, of }: { left: number; of: number }): string {
  return `${left} of ${of} free read${of === 1 ? "" : "s"} left this month`;
}
