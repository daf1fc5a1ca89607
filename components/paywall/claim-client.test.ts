import { describe, expect, it, vi } from "vitest";
import { claimTransfer, retryAfterMs } from "./claim-client";

const TX = `0x${"12".repeat(32)}` as const;
const SIG = `0x${"34".repeat(65)}` as const;
const SIGNED = { quote: "h.p.s", issuedAt: "2026-12-02T13:00:00.000Z" };

function scripted(...answers: Response[]) {
  const calls: RequestInit[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    calls.push(init ?? {});
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next;
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, calls };
}

describe("claimTransfer", () => {
  it("sends the quote and the issued-at with the claim, and waits out a 429", async () => {
    const { fetchImpl, calls } = scripted(
      Response.json({ error: { code: "rate_limited" } }, { status: 429, headers: { "retry-after": "1" } }),
      Response.json({ article: {} }, { headers: { "x-kiosk-access": "paid" } }),
    );
    const sleeps: number[] = [];
    const outcome = await claimTransfer({
      resource: "/api/articles/a",
      txHash: TX,
      signature: SIG,
      ...SIGNED,
      fetchImpl,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(outcome.kind).toBe("unlocked");
    expect(sleeps).toEqual([1_000]);
    expect(JSON.parse(String(calls[0]!.body))).toMatchObject(SIGNED);
  });

  it("polls through not-found and pending, as often as Retry-After says, then unlocks", async () => {
    const { fetchImpl, calls } = scripted(
      Response.json({ status: "not-found" }, { status: 402, headers: { "retry-after": "3" } }),
      Response.json(
        { status: "pending", confirmations: 1, required: 3 },
        { status: 402, headers: { "retry-after": "2" } },
      ),
      Response.json({ article: {} }, { headers: { "x-kiosk-access": "paid" } }),
    );
    const sleeps: number[] = [];
    const progress: unknown[] = [];
    const outcome = await claimTransfer({
      resource: "/api/articles/a",
      txHash: TX,
      signature: SIG,
      ...SIGNED,
      fetchImpl,
      sleep: async (ms) => void sleeps.push(ms),
      onProgress: (p) => progress.push(p),
    });
    expect(outcome).toEqual({ kind: "unlocked", txHash: null, access: "paid" });
    expect(sleeps).toEqual([3000, 2000]);
    expect(progress).toEqual([{ kind: "not-found" }, { kind: "pending", confirmations: 1, required: 3 }]);
    // The same signed claim every time: one signature, many polls.
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(JSON.parse(String(calls[0]!.body))).toEqual({
      resource: "/api/articles/a",
      txHash: TX,
      signature: SIG,
      ...SIGNED,
    });
  });

  it("stops at a refusal or a claimed hash, with the server's reason", async () => {
    const refused = scripted(
      Response.json(
        { status: "refused", reason: "underpaid", error: "The transfer paid 1; the price is 2." },
        { status: 402 },
      ),
    );
    expect(
      await claimTransfer({
        resource: "/api/articles/a",
        txHash: TX,
        signature: SIG,
        ...SIGNED,
        fetchImpl: refused.fetchImpl,
      }),
    ).toEqual({
      kind: "failed",
      error: { kind: "transfer-refused", detail: "The transfer paid 1; the price is 2." },
    });
    const claimed = scripted(
      Response.json(
        { error: { code: "payment_in_use", message: "This transaction was already claimed." } },
        { status: 409 },
      ),
    );
    expect(
      await claimTransfer({
        resource: "/api/articles/a",
        txHash: TX,
        signature: SIG,
        ...SIGNED,
        fetchImpl: claimed.fetchImpl,
      }),
    ).toEqual({
      kind: "failed",
      error: { kind: "transfer-refused", detail: "This transaction was already claimed." },
    });
  });

  it("gives up politely when confirmations take longer than the timeout", async () => {
    const pending = () =>
      Response.json(
        { status: "pending", confirmations: 0, required: 3 },
        { status: 402, headers: { "retry-after": "2" } },
      );
    const { fetchImpl } = scripted(pending(), pending());
    const outcome = await claimTransfer({
      resource: "/api/articles/a",
      txHash: TX,
      signature: SIG,
      ...SIGNED,
      fetchImpl,
      timeoutMs: 1_000,
      sleep: async () => {},
    });
    expect(outcome.kind === "failed" && outcome.error.kind).toBe("unavailable");
  });

  it("clamps Retry-After", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("0")).toBe(500);
    expect(retryAfterMs("3600")).toBe(30_000);
    expect(retryAfterMs(null)).toBe(2000);
    expect(retryAfterMs("soon")).toBe(2000);
  });
});
