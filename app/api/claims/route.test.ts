// Bad claims are answered before anything is looked up: a clear 400 or 404, never a 5xx.
import { expect, it } from "vitest";
import { POST } from "./route";

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

it.each([
  ["not JSON", "{", /expected object|required/i],
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
  const r = await post(JSON.stringify({ resource: "/api/studio/articles/1", txHash: hash, signature }));
  expect(r.status).toBe(404);
});
