// The HTTP facilitator path (FACILITATOR_URL), against a real facilitator server on loopback: the
// official x402Facilitator behind /verify, /settle and /supported, as x402.org serves it. Also
// what happens when that server is slow or answers nonsense.
import { createServer, type Server } from "node:http";
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFacilitator, createInProcessFacilitator } from "./facilitator";
import { handlePaidRequest } from "./paid-request";
import { startHarness, type Harness } from "./testing";

let h: Harness;
let server: Server;
let base = "";
let mode: "ok" | "slow" | "junk" | "settle-400" | "settle-false" | "settle-pending" = "ok";
const authHeaders: Record<string, string | undefined> = {};

beforeAll(async () => {
  h = await startHarness();
  // A separate facilitator instance with its own relayer queue, as a hosted service would have.
  const relayerKey = h.chain.devnet.accounts.find((a) => a.role === "deployer")!.privateKey as `0x${string}`;
  const inner = createInProcessFacilitator({
    rpcUrl: h.chain.rpcUrl,
    chainId: 31337,
    network: "eip155:31337",
    relayerPrivateKey: relayerKey,
    db: h.db.db,
  });
  const { x402Facilitator } = await import("@x402/core/facilitator");
  const { registerExactEvmScheme } = await import("@x402/evm/exact/facilitator");
  const official = new x402Facilitator();
  registerExactEvmScheme(official, { signer: inner.relayer, networks: "eip155:31337" });
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    authHeaders[req.url ?? ""] = req.headers.authorization;
    if (mode === "slow") await new Promise((r) => setTimeout(r, 3_000));
    res.setHeader("content-type", "application/json");
    if (mode === "junk") return res.end('{"isValid":"maybe"}');
    if (req.url === "/supported") return res.end(JSON.stringify(official.getSupported()));
    const body = JSON.parse(Buffer.concat(chunks).toString());
    if (req.url === "/verify")
      return res.end(JSON.stringify(await official.verify(body.paymentPayload, body.paymentRequirements)));
    const refusal = { success: false, transaction: "", network: "eip155:31337" };
    if (mode === "settle-400") {
      res.statusCode = 400;
      return res.end(
        JSON.stringify({ ...refusal, errorReason: "invalid_exact_evm_payload_authorization_value" }),
      );
    }
    if (mode === "settle-false")
      return res.end(JSON.stringify({ ...refusal, errorReason: "insufficient_funds" }));
    const result = await official.settle(body.paymentPayload, body.paymentRequirements);
    if (mode === "settle-pending" && result.success)
      // Broadcast and mined, but the facilitator stopped waiting for the receipt.
      return res.end(
        JSON.stringify({ ...refusal, errorReason: "settlement_pending", transaction: result.transaction }),
      );
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await h?.stop();
});

async function payHeader(slug: string, reader = h.readers[0]!) {
  const res = await h.article(slug);
  const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
  return {
    res,
    headers: { "payment-signature": encodePaymentSignatureHeader(await h.pay(reader, required)) },
  };
}

const call = (
  res: Awaited<ReturnType<Harness["article"]>>,
  headers: Record<string, string>,
  timeoutMs = 15_000,
) =>
  handlePaidRequest(
    new Request("http://kiosk.test" + res.apiPath, { headers }),
    res,
    async () => ({ body: "content", contentType: "text/plain" }),
    { ...h.ctx, facilitator: createHttpFacilitator({ url: base, timeoutMs }) },
  );

it("pays through a facilitator over HTTP: verify, then settle after the content is ready", async () => {
  mode = "ok";
  const { res, headers } = await payHeader("the-long-wait-for-402");
  const before = await h.balance(h.readers[0]!.address);
  const r = await call(res, headers);
  expect(r.status, await r.clone().text()).toBe(200);
  expect(await h.balance(h.readers[0]!.address)).toBe(before - res.priceAtomic);
});

it("an invalid payment is refused by the remote verify with its reason", async () => {
  mode = "ok";
  const { res, headers } = await payHeader("what-a-penny-costs-to-move", h.unfunded);
  const r = await call(res, headers);
  expect(r.status).toBe(402);
  expect((await r.json()).error).toMatch(/not enough usdc/i);
});

it("a slow facilitator answers 503 within the timeout, and an unreadable one 503 too", async () => {
  const { res, headers } = await payHeader("clocks-that-disagree", h.readers[1]!);
  mode = "slow";
  const started = Date.now();
  const slow = await call(res, headers, 1_000);
  expect(slow.status).toBe(503);
  expect(Date.now() - started).toBeLessThan(2_900);
  mode = "junk";
  const junk = await call(res, headers);
  expect(junk.status).toBe(503);
  expect((await junk.json()).error.code).toBe("facilitator_unavailable");
  mode = "ok";
  expect((await call(res, headers)).status).toBe(200);
});

it("with CDP keys, each request carries a JWT signed by the key and bound to that method and path", async () => {
  mode = "ok";
  const { generateKeyPairSync } = await import("node:crypto");
  const { decodeJwt, decodeProtectedHeader, importSPKI, jwtVerify } = await import("jose");
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const cdp = {
    keyId: "organizations/test/apiKeys/kiosk",
    keySecret: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
  const { res, headers } = await payHeader("reading-the-tide-tables", h.readers[2]!);
  const r = await handlePaidRequest(
    new Request("http://kiosk.test" + res.apiPath, { headers }),
    res,
    async () => ({ body: "content", contentType: "text/plain" }),
    { ...h.ctx, facilitator: createHttpFacilitator({ url: base, cdp }) },
  );
  expect(r.status, await r.clone().text()).toBe(200);
  const token = authHeaders["/settle"]?.replace(/^Bearer /, "");
  expect(token).toBeTruthy();
  expect(decodeProtectedHeader(token!)).toMatchObject({ alg: "ES256", kid: cdp.keyId });
  const key = await importSPKI(publicKey.export({ type: "spki", format: "pem" }).toString(), "ES256");
  await jwtVerify(token!, key);
  expect(decodeJwt(token!)).toMatchObject({
    sub: cdp.keyId,
    iss: "cdp",
    uris: [`POST ${new URL(base).host}/settle`],
  });
});

describe("what a hosted facilitator also answers, each ending right and holding no lock", () => {
  // After each refusal the same reader pays for the same article at once, through a healthy
  // facilitator: a lingering in-flight lock would make that wait and fail.
  async function paysAfterwards(slug: string, reader: (typeof h.readers)[number]) {
    mode = "ok";
    const started = Date.now();
    const { res, headers } = await payHeader(slug, reader);
    const r = await call(res, headers);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  }

  it("a settle refused with HTTP 400: a 402 with the reason, nothing charged", async () => {
    const reader = h.readers[3]!;
    const { res, headers } = await payHeader("plumbing-of-a-digital-dollar", reader);
    const before = await h.balance(reader.address);
    mode = "settle-400";
    const r = await call(res, headers);
    expect(r.status).toBe(402);
    const { error } = await r.json();
    expect(error).toMatch(/payment/i);
    expect(error).not.toMatch(/facilitator|http|\b400\b/i); // upstream internals stay in the log
    expect(await h.balance(reader.address)).toBe(before);
    await paysAfterwards("plumbing-of-a-digital-dollar", reader);
  });

  it("a 200 with success:false at settle: a 402 with the reason, nothing charged", async () => {
    const reader = h.readers[4]!;
    const { res, headers } = await payHeader("plumbing-of-a-digital-dollar", reader);
    const before = await h.balance(reader.address);
    mode = "settle-false";
    const r = await call(res, headers);
    expect(r.status).toBe(402);
    expect((await r.json()).error).toMatch(/not enough usdc|insufficient/i);
    expect(await h.balance(reader.address)).toBe(before);
    await paysAfterwards("plumbing-of-a-digital-dollar", reader);
  });

  it("settlement_pending with a transaction hash: found on chain, the content, one debit", async () => {
    const reader = h.readers[5]!;
    const { res, headers } = await payHeader("plumbing-of-a-digital-dollar", reader);
    const before = await h.balance(reader.address);
    mode = "settle-pending";
    const r = await call(res, headers);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await r.text()).toBe("content");
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    mode = "ok";
  });

  it("an unreachable facilitator: a quick 503, nothing charged, and the next payment goes through", async () => {
    const reader = h.readers[6]!;
    const { res, headers } = await payHeader("plumbing-of-a-digital-dollar", reader);
    const before = await h.balance(reader.address);
    const started = Date.now();
    const r = await handlePaidRequest(
      new Request("http://kiosk.test" + res.apiPath, { headers }),
      res,
      async () => ({ body: "content", contentType: "text/plain" }),
      { ...h.ctx, facilitator: createHttpFacilitator({ url: "http://127.0.0.1:9", timeoutMs: 3_000 }) },
    );
    expect(r.status).toBe(503);
    expect((await r.json()).error.code).toBe("facilitator_unavailable");
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(await h.balance(reader.address)).toBe(before);
    await paysAfterwards("plumbing-of-a-digital-dollar", reader);
  });
});
