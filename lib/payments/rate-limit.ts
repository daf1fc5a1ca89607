// Griefing guard: payloads that pass the cheap checks but fail verification still cost us chain
// reads (and a relayer's simulation). Failed attempts are counted per payer and per client IP in
// a sliding minute; past the limit, further attempts get 429 before any chain call.
// In-process memory is enough for one server; a multi-instance deployment would move it to Redis.
const WINDOW_MS = 60_000;
export const MAX_FAILED_ATTEMPTS_PER_MINUTE = 20;

const globalForLimits = globalThis as unknown as { kioskFailedAttempts?: Map<string, number[]> };
const failures: Map<string, number[]> = (globalForLimits.kioskFailedAttempts ??= new Map<string, number[]>());

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (list.length) failures.set(key, list);
  else failures.delete(key);
  return list;
}

export function isThrottled(keys: string[], now = Date.now()): boolean {
  return keys.some((k) => recent(k, now).length >= MAX_FAILED_ATTEMPTS_PER_MINUTE);
}

export function recordFailedAttempt(keys: string[], now = Date.now()): void {
  if (failures.size > 50_000) failures.clear(); // bounded memory under a flood of distinct keys
  for (const k of keys) failures.set(k, [...recent(k, now), now]);
}

export function clientKeys(req: Request, payer: string): string[] {
  const ip =
    req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "local";
  return [`payer:${payer}`, `ip:${ip}`];
}

const globalForRequests = globalThis as unknown as { kioskRequestLog?: Map<string, number[]> };
const requests: Map<string, number[]> = (globalForRequests.kioskRequestLog ??= new Map<string, number[]>());

/**
 * Counts every call (not only failures) in a sliding minute: for endpoints that write on each
 * request, such as the studio's sign-in nonces. Returns false once `limit` is reached.
 */
export function allowRequest(key: string, limit: number, now = Date.now()): boolean {
  const list = (requests.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (list.length >= limit) {
    requests.set(key, list);
    return false;
  }
  if (requests.size > 50_000) requests.clear();
  requests.set(key, [...list, now]);
  return true;
}
