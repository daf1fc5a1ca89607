// Bad claims are answered before anything is looked up: a clear 400, 404 or 429, never a 5xx.
import { expect, it } from "vitest";
import { allowRequest } from "@/lib/http/rate-limit";
import { countLimitsExactly } from "@/test/rate-limits";
import { CLAIMS_PER_HASH_PER_MINUTE, CLAIMS_PER_IP_PER_MINUTE, POST } from "./route";

const post = (body: string) =>
  POST(
    new Request("http://127.0.0.1:3000/api/claims", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    }),
  );
const hash = "0x" + "ab".repeat(32);
const signature = "0x" + "cd".repeat(65);
const signed = { signature, quote: "a.b.c", issuedAt: new Date().toISOString() };

it.each([
  ["not JSON", "{", /must be JSON/i],
  ["a missing hash", JSON.stringify({ resource: "/api/articles/x", signature }), /required/i],
  ["a short hash", JSON.stringify({ resource: "/api/articles/x", txHash: "0x1234", signature }), /32-byte/],
  [
    "a non-hex signature",
    JSON.stringify({ resource: "/api/articles/x", txHash: hash, signature: "hello" }),
    /0x-hex/,
  ],
  [
    "a page path instead of an API path",
    JSON.stringify({ resource: "/articles/x", txHash: hash, signature }),
    /\/api\//,
  ],
])("answers 400 for %s", async (_name, body, message) => {
  const r = await post(body);
  expect(r.status).toBe(400);
  const json = await r.json();
  expect(json.error.code).toBe("bad_request");
  expect(json.error.message).toMatch(message);
});

it("answers 404 for an API path that names no resource", async () => {
  const r = await post(JSON.stringify({ resource: "/api/studio/articles/1", txHash: hash, ...signed }));
  expect(r.status).toBe(404);
});

it("answers 400 quickly to a 20 MB body, without reading it all", async () => {
  const started = performance.now();
  const r = await post(JSON.stringify({ resource: "/api/articles/x", pad: "x".repeat(20 * 1024 * 1024) }));
  expect(r.status).toBe(400);
  expect((await r.json()).error.message).toMatch(/too large/);
  expect(performance.now() - started).toBeLessThan(1_000);
});

it("limits claims of one hash, then (last: it spends this client's budget) claims from one client", async () => {
  countLimitsExactly();
  const other = "0x" + "ef".repeat(32);
  const body = JSON.stringify({ resource: "/api/studio/articles/1", txHash: other, ...signed });
  const statuses: number[] = [];
  for (let i = 0; i <= CLAIMS_PER_HASH_PER_MINUTE; i++) statuses.push((await post(body)).status);
  expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
  const limited = await post(body);
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toBeTruthy();
  // Distinct hashes still come from one client: its budget runs out too. No trusted proxy is
  // configured here, so every client shares one (larger) bucket; spend it first.
  for (let i = 0; i < 5 * CLAIMS_PER_IP_PER_MINUTE; i++)
    await allowRequest("claims:ip:shared", CLAIMS_PER_IP_PER_MINUTE);
  const fresh = "0x" + "01".repeat(32);
  const client = await post(JSON.stringify({ resource: "/api/studio/articles/1", txHash: fresh, ...signed }));
  expect(client.status).toBe(429);
});
