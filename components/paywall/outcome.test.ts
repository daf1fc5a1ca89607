import { UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { describeError } from "./messages";
import { classifyThrown, readPaidResponse } from "./outcome";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
const TX = `0x${"ab".repeat(32)}`;

describe("readPaidResponse", () => {
  it("reads the transaction and the access kind of a 200", async () => {
    const res = new Response("{}", {
      headers: {
        "payment-response": b64({ success: true, transaction: TX, network: "eip155:31337" }),
        "x-kiosk-access": "paid",
      },
    });
    expect(await readPaidResponse(res)).toEqual({ kind: "unlocked", txHash: TX, access: "paid" });
  });

  it("unlocks without a hash when the wallet already held access (entitlement)", async () => {
    const res = new Response("{}", { headers: { "x-kiosk-access": "entitlement" } });
    expect(await readPaidResponse(res)).toEqual({ kind: "unlocked", txHash: null, access: "entitlement" });
  });

  it("tells insufficient funds from other refusals by the facilitator's reason", async () => {
    const broke = Response.json(
      { error: "Not enough USDC in the paying wallet.", reason: "invalid_exact_evm_insufficient_balance" },
      { status: 402 },
    );
    expect(await readPaidResponse(broke)).toEqual({
      kind: "failed",
      error: { kind: "insufficient-funds", balance: null },
    });
    const refused = Response.json(
      { error: "The payment would not go through on chain.", reason: "transaction_simulation_failed" },
      { status: 402 },
    );
    expect(await readPaidResponse(refused)).toEqual({
      kind: "failed",
      error: { kind: "settlement-failed", detail: "The payment would not go through on chain." },
    });
  });

  it("maps 409 to another tab, 503 to an outage, anything else to unexpected", async () => {
    const inUse = Response.json({ error: { code: "payment_in_use", message: "busy" } }, { status: 409 });
    expect(await readPaidResponse(inUse)).toEqual({ kind: "failed", error: { kind: "in-use" } });
    const down = Response.json(
      { error: { code: "facilitator_unavailable", message: "Facilitator down." } },
      { status: 503 },
    );
    expect(await readPaidResponse(down)).toEqual({
      kind: "failed",
      error: { kind: "unavailable", detail: "Facilitator down." },
    });
    const bad = Response.json(
      { error: { code: "malformed_payment", message: "bad header" } },
      { status: 400 },
    );
    expect(await readPaidResponse(bad)).toEqual({
      kind: "failed",
      error: { kind: "unexpected", detail: "bad header" },
    });
  });
});

describe("a 502 after the chain settled", () => {
  it("tells the reader the payment went through (with its transaction), never that nothing was charged", async () => {
    const settled = Response.json(
      {
        error: {
          code: "upstream_error",
          message: "Your payment went through, but the content could not be delivered.",
        },
      },
      {
        status: 502,
        headers: { "payment-response": b64({ success: true, transaction: TX, network: "eip155:31337" }) },
      },
    );
    const outcome = await readPaidResponse(settled);
    expect(outcome).toEqual({
      kind: "failed",
      error: {
        kind: "may-have-settled",
        txHash: TX,
        detail: "Your payment went through, but the content could not be delivered.",
      },
    });
    const ctx = { network: "local" as const, chainName: "Local", price: "$0.05" };
    const text = outcome.kind === "failed" ? describeError(outcome.error, ctx) : null;
    expect(text?.title).toBe("Your payment went through");
    expect(JSON.stringify(text)).not.toMatch(/nothing was charged/i);
    const unknown = await readPaidResponse(
      Response.json({ error: { code: "upstream_error", message: "Not known yet." } }, { status: 502 }),
    );
    const unknownText = unknown.kind === "failed" ? describeError(unknown.error, ctx) : null;
    expect(unknownText?.title).toBe("Your payment may have gone through");
    expect(JSON.stringify(unknownText)).not.toMatch(/nothing was charged/i);
  });
});

describe("classifyThrown", () => {
  it("finds a wallet's 4001 under the x402 client's wrapper", () => {
    const wallet = Object.assign(new Error("User rejected the request."), { code: 4001 });
    const wrapped = new Error("Failed to create payment payload: User rejected the request.", {
      cause: wallet,
    });
    expect(classifyThrown(wrapped)).toEqual({ kind: "rejected" });
    expect(classifyThrown(new UserRejectedRequestError(new Error("no")))).toEqual({ kind: "rejected" });
  });

  it("recognizes a chain mismatch and a token balance revert", () => {
    const mismatch = Object.assign(
      new Error('Provided chainId "8453" must match the active chainId "31337"'),
      { code: -32602 },
    );
    expect(classifyThrown(mismatch).kind).toBe("wrong-network");
    expect(classifyThrown(new Error("execution reverted: ERC20: transfer amount exceeds balance")).kind).toBe(
      "insufficient-funds",
    );
    // Out of ETH for gas is not "not enough USDC".
    expect(classifyThrown(new Error("insufficient funds for gas * price + value")).kind).toBe("unexpected");
  });
});
