import { MethodNotFoundRpcError, UnsupportedProviderMethodError, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { describeError } from "./messages";
import { classifySigningError, classifyThrown, readPaidResponse } from "./outcome";

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

describe("classifySigningError (the wallet was asked for eth_signTypedData_v4)", () => {
  const wrap = (cause: unknown) =>
    new Error("Failed to create payment payload: the wallet could not sign.", { cause });

  it("a wallet that does not offer typed-data signatures is told apart, however it says so", () => {
    const refusals = [
      // EIP-1193 4200 from an injected provider, as viem wraps it, under the x402 client's wrapper.
      wrap(new UnsupportedProviderMethodError(new Error("eth_signTypedData_v4"))),
      Object.assign(new Error("The Provider does not support the requested method."), { code: 4200 }),
      // JSON-RPC "method not found" from a wallet behind WalletConnect or a bridge.
      wrap(new MethodNotFoundRpcError(new Error("eth_signTypedData_v4 does not exist"))),
      Object.assign(new Error("Method not found"), { code: -32601 }),
      // In words only.
      new Error("eth_signTypedData_v4 is not supported by this wallet"),
      wrap(new Error("Signing typed data is not supported on this account")),
    ];
    for (const error of refusals)
      expect(classifySigningError(error)).toEqual({ kind: "typed-data-unsupported" });
  });

  it("anything else keeps its usual meaning: a refusal is a refusal, a failure is unexpected", () => {
    expect(classifySigningError(wrap(new UserRejectedRequestError(new Error("no"))))).toEqual({
      kind: "rejected",
    });
    expect(classifySigningError(new Error("The device is locked")).kind).toBe("unexpected");
    expect(classifySigningError(Object.assign(new Error("Internal error"), { code: -32603 })).kind).toBe(
      "unexpected",
    );
  });

  it("the reader is told that nothing was charged and that a plain transfer works with any wallet", () => {
    const text = describeError(
      { kind: "typed-data-unsupported" },
      { network: "local", chainName: "Kiosk local (anvil)", price: "$0.05" },
    );
    expect(text.title).toBe("This wallet cannot sign the payment");
    expect(text.detail).toMatch(/eth_signTypedData_v4/);
    expect(text.detail).toMatch(/Nothing was charged\.$/);
    expect(text.hint).toMatch(/transfer/);
  });
});
