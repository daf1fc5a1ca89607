// For tests that count to an exact limit: a fresh in-memory store and a clock pinned at the start
// of a minute, so a burst of attempts cannot straddle the turn of a minute and count as fewer.
import { memoryRateLimitStore, setRateLimitStore } from "@/lib/http/rate-limit";

export function countLimitsExactly(): void {
  const minuteStart = Math.floor(Date.now() / 60_000) * 60_000;
  setRateLimitStore(memoryRateLimitStore(), { now: () => minuteStart });
}
