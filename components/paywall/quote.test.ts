import { describe, expect, it } from "vitest";
import { readQuote } from "./quote";

const USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const PAY_TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const requirement = (network: string) => ({
  scheme: "exact",
  network,
  asset: USDC,
  amount: "50000",
  payTo: PAY_TO,
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
});
const header = (network = "eip155:31337") =>
  Buffer.from(
    JSON.stringify({
      x402Version: 2,
      error: "PAYMENT-SIGNATURE header is required",
      resource: { url: "http://k/api/articles/a" },
      accepts: [requirement(network)],
    }),
  ).toString("base64");
const body = {
  error: "PAYMENT-SIGNATURE header is required",
  accepts: [requirement("eip155:31337")],
  price: { amount: "50000", usdc: "0.05", display: "$0.05", asset: USDC, network: "eip155:31337" },
  payTo: PAY_TO,
  accessWindowSeconds: 2_592_000,
  paymentUri: `ethereum:${USDC}@31337/transfer?address=${PAY_TO}&uint256=50017`,
  transferQuote: { token: "h.p.s", amount: "50017", display: "$0.050017", expiresAt: "2026-12-02T15:00:00Z" },
};
const answer402 = (h = header(), b: unknown = body) =>
  Response.json(b, { status: 402, headers: { "payment-required": h } });

describe("readQuote", () => {
  it("reads the requirement, the price and the payment URI from a 402", async () => {
    const result = await readQuote(answer402(), "eip155:31337");
    expect(result.kind).toBe("quote");
    if (result.kind !== "quote") return;
    expect(result.quote).toMatchObject({
      amount: 50_000n,
      display: "$0.05",
      asset: USDC,
      payTo: PAY_TO,
      paymentUri: body.paymentUri,
      transfer: { token: "h.p.s", amount: 50_017n, display: "$0.050017" },
    });
    expect(result.quote.requirement).toEqual(requirement("eip155:31337"));
  });

  it("a 200 means the reader already holds access", async () => {
    expect(await readQuote(Response.json({ article: {} }), "eip155:31337")).toEqual({ kind: "unlocked" });
  });

  it("refuses a requirement for another network, a broken header or body", async () => {
    expect((await readQuote(answer402(header("eip155:8453")), "eip155:31337")).kind).toBe("failed");
    expect((await readQuote(answer402("%%%"), "eip155:31337")).kind).toBe("failed");
    expect((await readQuote(answer402(header(), { error: "x" }), "eip155:31337")).kind).toBe("failed");
  });

  it("passes on the server's message for other statuses", async () => {
    const res = Response.json({ error: { code: "not_found", message: "No such article." } }, { status: 404 });
    expect(await readQuote(res, "eip155:31337")).toEqual({
      kind: "failed",
      status: 404,
      message: "No such article.",
    });
  });
});
