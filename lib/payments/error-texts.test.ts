// What a reader is told when something fails: once the chain may have settled, never "nothing was
// charged"; and a facilitator's own error text (status, body, stack) never reaches the client.
// Real anvil, real PGlite; the database failure is a real Postgres error raised by a trigger.
import { createServer, type Server } from "node:http";
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  encodePaymentSignatureHeader,
} from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { toErrorResponse } from "../http/errors";
import type { PaymentPayload } from "../x402/types";
import { createHttpFacilitator } from "./facilitator";
import { handlePaidRequest } from "./paid-request";
import { startHarness, type Harness } from "./testing";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const sig = (p: PaymentPayload) => ({ "payment-signature": encodePaymentSignatureHeader(p) });

async function signedPayment(slug: string, reader = h.readers[0]!) {
  const res = await h.article(slug);
  const offer = await h.request(res);
  expect(offer.status).toBe(402);
  const payload = await h.pay(reader, decodePaymentRequiredHeader(offer.headers.get("payment-required")!));
  return { res, payload, reader };
}

describe("after the chain settled", () => {
  it("a database failure while recording answers 502 'your payment went through' with the PAYMENT-RESPONSE", async () => {
    const { res, payload, reader } = await signedPayment("the-long-wait-for-402", h.readers[1]);
    const before = await h.balance(reader.address);
    await h.db.db.execute(`create function kiosk_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'disk full (test)'; end $$`);
    await h.db.db.execute(`create trigger kiosk_test_fail before insert on entitlements
      for each row execute function kiosk_test_fail()`);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    let r: Response;
    try {
      r = await h.request(res, { headers: sig(payload) });
    } finally {
      quiet.mockRestore();
      await h.db.db.execute(`drop trigger kiosk_test_fail on entitlements`);
      await h.db.db.execute(`drop function kiosk_test_fail()`);
    }
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    expect(r.status).toBe(502);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/payment went through/i);
    expect(body.error.message).not.toMatch(/nothing was charged/i);
    expect(body.error.message).not.toContain("disk full");
    const settle = decodePaymentResponseHeader(r.headers.get("payment-response")!);
    expect(settle).toMatchObject({ success: true, network: "eip155:31337" });
    expect(settle.transaction).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("an exception after settling (the answer cannot be built) says the payment went through, not 'nothing was charged'", async () => {
    const { res, payload, reader } = await signedPayment("what-a-penny-costs-to-move", h.readers[2]);
    const before = await h.balance(reader.address);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    let r: Response;
    try {
      // As the routes do: the wrapper throws, toErrorResponse answers.
      r = await handlePaidRequest(
        new Request("http://kiosk.test" + res.apiPath, { headers: sig(payload) }),
        res,
        // A header value no Response accepts: the failure comes only when the answer is built.
        async () => ({ body: "x", contentType: "text/plain\r\nx-injected: 1" }),
        h.ctx,
      ).catch(toErrorResponse);
    } finally {
      quiet.mockRestore();
    }
    expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
    expect(r.status).toBe(502);
    const { error } = (await r.json()) as { error: { message: string } };
    expect(error.message).toMatch(/payment went through/i);
    expect(error.message).not.toMatch(/nothing was charged/i);
    expect(decodePaymentResponseHeader(r.headers.get("payment-response")!).success).toBe(true);
  });
});

describe("facilitator error details", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    // A hosted facilitator that refuses our credentials and says too much about it.
    server = createServer((req, res) => {
      res.statusCode = 401;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: "invalid key kid=organizations/acme/apiKeys/k-9f3e secret mismatch" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it("stay in the server log: the client gets a 503 without the facilitator's status or body", async () => {
    const { res, payload } = await signedPayment("reading-the-tide-tables", h.readers[3]);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let r: Response;
    try {
      r = await handlePaidRequest(
        new Request("http://kiosk.test" + res.apiPath, { headers: sig(payload) }),
        res,
        async () => ({ body: "x", contentType: "text/plain" }),
        { ...h.ctx, facilitator: createHttpFacilitator({ url: base, timeoutMs: 5_000 }) },
      );
      expect(warn.mock.calls.flat().join(" ")).toContain("k-9f3e");
    } finally {
      warn.mockRestore();
    }
    expect(r.status).toBe(503);
    const text = await r.text();
    expect(JSON.parse(text).error.code).toBe("facilitator_unavailable");
    expect(text).not.toContain("k-9f3e");
    expect(text).not.toContain("401");
    expect(text).not.toMatch(/apiKeys|secret|at .*\.js/);
  });
});

describe("toErrorResponse", () => {
  it("answers an unexpected error with a generic 500 that claims nothing about money and leaks nothing", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = toErrorResponse(new Error('relation "payments" does not exist at /srv/kiosk/lib/db.ts:12'));
    quiet.mockRestore();
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(JSON.parse(text).error.code).toBe("internal");
    expect(text).not.toMatch(/nothing was charged/i);
    expect(text).not.toMatch(/relation|\/srv\//);
  });
});
