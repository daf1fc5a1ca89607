// Each sign-in attempt costs a database read and, for a contract wallet, a chain call, so the
// route caps attempts per address (one shared bucket when no trusted proxy is configured).
import { expect, it } from "vitest";
import { allowRequest } from "@/lib/http/rate-limit";
import { countLimitsExactly } from "@/test/rate-limits";
import { POST } from "./route";

it("answers 429 once an address has tried 30 sign-ins in a minute, before touching the database or the chain", async () => {
  countLimitsExactly();
  for (let i = 0; i < 150; i++) expect(await allowRequest("verify:ip:shared", 30)).toBe(true);
  const r = await POST(
    new Request("http://127.0.0.1:3000/api/auth/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "m", signature: `0x${"ab".repeat(300)}` }),
    }),
  );
  expect(r.status).toBe(429);
  expect(r.headers.get("retry-after")).toBe("60");
  expect(await r.json()).toEqual({
    error: { code: "rate_limited", message: "Too many sign-in attempts; wait a minute." },
  });
});
