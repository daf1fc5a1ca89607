// Rate limits behind one small store interface: counters per key in fixed time buckets. A server
// counts in the database (rate-limit-db.ts, an UPSERT per (key, bucket)), so every instance
// shares one limit; the in-memory store is for tests and single-process tools.
//
// Who is counted matters more than how (a limit a stranger can aim at someone else is an attack):
// - failed payment attempts count against a payer only once the payer's signature verified, so
//   junk that merely names a stranger's wallet as `from` can never throttle that stranger;
// - the client IP comes only from a proxy the deployment says it trusts (TRUSTED_PROXY_HOPS):
//   X-Forwarded-For is client-supplied otherwise, and rotating it would reset the limit. With no
//   trusted proxy every client shares one IP bucket, which is given a larger allowance.
const WINDOW_MS = 60_000;
export const MAX_FAILED_ATTEMPTS_PER_MINUTE = 20;
/** The one bucket every client shares when the deployment names no trusted proxy. */
export const SHARED_IP = "shared";
const SHARED_BUCKET_FACTOR = 5;

export interface RateLimitStore {
  /** Adds one to `key`'s counter for the window containing `now`; resolves with the new count. */
  increment(key: string, windowMs: number, now: number): Promise<number>;
  /** The counters of `key` for the window containing `now` and for the one before it. */
  recent(key: string, windowMs: number, now: number): Promise<{ current: number; previous: number }>;
}

/**
 * Counters in this process. Bounded: past `maxKeys` the oldest counters are dropped one at a
 * time (Map keeps insertion order), never all at once, so a flood of fresh keys cannot reset
 * the limits of the keys that matter.
 */
export function memoryRateLimitStore(maxKeys = 50_000): RateLimitStore {
  const counters = new Map<string, number>();
  const slot = (key: string, windowMs: number, now: number) => `${key}@${Math.floor(now / windowMs)}`;
  return {
    async increment(key, windowMs, now) {
      const k = slot(key, windowMs, now);
      const next = (counters.get(k) ?? 0) + 1;
      counters.delete(k); // re-insert: the most recently touched counters are evicted last
      counters.set(k, next);
      while (counters.size > maxKeys) counters.delete(counters.keys().next().value!);
      return next;
    },
    async recent(key, windowMs, now) {
      return {
        current: counters.get(slot(key, windowMs, now)) ?? 0,
        previous: counters.get(slot(key, windowMs, now - windowMs)) ?? 0,
      };
    },
  };
}

// Kept on globalThis and read on every call: Next may load this module more than once in one
// process (instrumentation and each route bundle), and all of them must count in one place.
const globalForLimits = globalThis as unknown as {
  kioskRateLimits?: RateLimitStore;
  kioskRateLimitClock?: () => number;
};
const store = (): RateLimitStore => (globalForLimits.kioskRateLimits ??= memoryRateLimitStore());
/** Limits run on the wall clock (not a request's own notion of now): a server never changes it. */
const clock = (): number => (globalForLimits.kioskRateLimitClock ?? Date.now)();

/**
 * Swaps the store (the database one on a server; a fresh memory one in tests) and, for tests
 * that count to an exact limit, the clock: the sliding minute weighs last minute's count by the
 * time elapsed, so attempts that straddle the turn of a minute on the wall clock count as
 * slightly fewer. A test pins the clock to see the exact limit.
 */
export function setRateLimitStore(next: RateLimitStore, opts: { now?: () => number } = {}): void {
  globalForLimits.kioskRateLimits = next;
  globalForLimits.kioskRateLimitClock = opts.now;
}

function limitFor(key: string): number {
  return key === `ip:${SHARED_IP}`
    ? MAX_FAILED_ATTEMPTS_PER_MINUTE * SHARED_BUCKET_FACTOR
    : MAX_FAILED_ATTEMPTS_PER_MINUTE;
}

/**
 * A sliding minute from two fixed buckets: this minute's count plus last minute's, weighted by
 * how much of last minute still lies inside the window. No reset at the turn of a minute.
 */
async function slidingCount(key: string, now: number): Promise<number> {
  const { current, previous } = await store().recent(key, WINDOW_MS, now);
  const elapsed = (now % WINDOW_MS) / WINDOW_MS;
  return current + Math.floor(previous * (1 - elapsed));
}

export async function isThrottled(keys: string[], now = clock()): Promise<boolean> {
  const counts = await Promise.all(keys.map((k) => slidingCount(`fail:${k}`, now)));
  return counts.some((c, i) => c >= limitFor(keys[i]!));
}

export async function recordFailedAttempt(keys: string[], now = clock()): Promise<void> {
  await Promise.all(keys.map((k) => store().increment(`fail:${k}`, WINDOW_MS, now)));
}

/**
 * The client's IP as the trusted proxy nearest to us saw it. Each trusted proxy appends the
 * address it received the request from to X-Forwarded-For, so with `hops` trusted proxies the
 * client is the `hops`-th entry from the right; anything left of it is the client's own claim.
 */
export function clientIp(headers: Headers, hops: number): string {
  if (hops <= 0) return SHARED_IP;
  const list = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list[list.length - hops] ?? list[0] ?? SHARED_IP;
}

export const ipKey = (headers: Headers, hops: number) => `ip:${clientIp(headers, hops)}`;
export const payerKey = (payer: string) => `payer:${payer.toLowerCase()}`;

/**
 * Counts every call (not only failures) in a sliding minute: for endpoints that write or call the
 * chain on each request, such as sign-in nonces and transfer claims. False once `limit` is reached.
 */
export async function allowRequest(key: string, limit: number, now = clock()): Promise<boolean> {
  const allowance = key.endsWith(`ip:${SHARED_IP}`) ? limit * SHARED_BUCKET_FACTOR : limit;
  if ((await slidingCount(`req:${key}`, now)) >= allowance) return false;
  await store().increment(`req:${key}`, WINDOW_MS, now);
  return true;
}
