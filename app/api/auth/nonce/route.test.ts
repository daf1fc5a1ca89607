// Sign-in nonces are database rows, so the route caps how many one address may ask for.
import { expect, it } from "vitest";
import { allowRequest } from "@/lib/http/rate-limit";
import { countLimitsExactly } from "@/test/rate-limits";
import { POST } from "./route";

it("answers 429 once an address has asked for 30 nonces in a minute, before touching the database", async () => {
  countLimitsExactly();
  // No trusted proxy is configured here, so every client shares one (larger) bucket.
  for (let i = 0; i < 150; i++) expect(await allowRequest("nonce:ip:shared", 30)).toBe(true);
  const r = await POST(
    new Request("http://127.0.0.1:3000/api/auth/nonce", {
      method: "POST",
      headers: { "x-forwarded-for": "198.51.100.7" },
    }),
  );
  expect(r.status).toBe(429);
  expect(r.headers.get("retry-after")).toBe("60");
  expect((await r.json()).error.code).toBe("rate_limited");
});

it("counts every call in a one-minute bucket, per key", async () => {
  const t0 = 60_000 * 1_000;
  for (let i = 0; i < 3; i++) expect(await allowRequest("k", 3, t0 + i)).toBe(true);
  expect(await allowRequest("k", 3, t0 + 10)).toBe(false);
  expect(await allowRequest("other", 3, t0 + 10)).toBe(true);
  expect(await allowRequest("k", 3, t0 + 60_001)).toBe(true);
});
