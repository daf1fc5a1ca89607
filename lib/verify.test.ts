import { describe, expect, it } from "vitest";
import { issueReceipt, receiptCookiePaths, resourceKeyForPath, verifyReceipt } from "./verify";

const enc = (s: string) => new TextEncoder().encode(s);
const secrets = { current: enc("a".repeat(32)), previous: null };
const claims = {
  sub: "0x" + "ab".repeat(20),
  res: "article:deep-sea",
  amt: "50000",
  net: "eip155:31337",
  tx: "0x" + "cd".repeat(32),
};

describe("receipts", () => {
  it("verifies a receipt for its own resource only", async () => {
    const token = await issueReceipt(claims, new Date(Date.now() + 60_000), secrets);
    expect((await verifyReceipt(token, "article:deep-sea", secrets)).kind).toBe("valid");
    expect(await verifyReceipt(token, "article:other", secrets)).toEqual({
      kind: "invalid",
      reason: "other-resource",
    });
    expect(await verifyReceipt(token, "data:article:deep-sea", secrets)).toMatchObject({ kind: "invalid" });
  });

  it("rejects expired, re-signed, edited and junk tokens", async () => {
    const expired = await issueReceipt(
      claims,
      new Date(Date.now() - 1_000),
      secrets,
      new Date(Date.now() - 5_000),
    );
    expect(await verifyReceipt(expired, claims.res, secrets)).toEqual({ kind: "invalid", reason: "expired" });
    const resigned = await issueReceipt(claims, null, { current: enc("b".repeat(32)), previous: null });
    expect(await verifyReceipt(resigned, claims.res, secrets)).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
    const good = await issueReceipt(claims, null, secrets);
    const [h, p, s] = good.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const edited = [h, Buffer.from(JSON.stringify({ ...payload, amt: "1" })).toString("base64url"), s].join(
      ".",
    );
    expect((await verifyReceipt(edited, claims.res, secrets)).kind).toBe("invalid");
    const none = [Buffer.from('{"alg":"none"}').toString("base64url"), p, ""].join(".");
    expect((await verifyReceipt(none, claims.res, secrets)).kind).toBe("invalid");
    for (const junk of ["", "x", "a.b.c", "a".repeat(5000)]) {
      expect((await verifyReceipt(junk, claims.res, secrets)).kind).toBe("invalid");
    }
  });

  it("accepts the previous secret during a rotation, and nothing once it is dropped", async () => {
    const old = await issueReceipt(claims, null, secrets);
    const rotated = { current: enc("n".repeat(32)), previous: secrets.current };
    expect((await verifyReceipt(old, claims.res, rotated)).kind).toBe("valid");
    expect((await verifyReceipt(old, claims.res, { current: rotated.current, previous: null })).kind).toBe(
      "invalid",
    );
  });

  it("keeps a token small and scopes the cookie to the resource's own paths", async () => {
    const token = await issueReceipt(claims, new Date(Date.now() + 86_400_000), secrets);
    // One token per path: a reader with 500 purchases still sends one ~400-byte cookie per request.
    expect(token.length).toBeLessThan(600);
    expect(receiptCookiePaths({ apiPath: "/api/articles/a", pagePath: "/articles/a" })).toEqual([
      "/api/articles/a",
      "/articles/a",
    ]);
    expect(receiptCookiePaths({ apiPath: "/api/data/x.csv", pagePath: null })).toEqual(["/api/data/x.csv"]);
  });

  it("a cached verification still checks expiry and resource on every call", async () => {
    const token = await issueReceipt(claims, new Date(Date.now() + 2_000), secrets);
    expect((await verifyReceipt(token, claims.res, secrets)).kind).toBe("valid");
    expect(await verifyReceipt(token, claims.res, secrets, new Date(Date.now() + 3_000))).toEqual({
      kind: "invalid",
      reason: "expired",
    });
    expect(await verifyReceipt(token, "article:other", secrets)).toEqual({
      kind: "invalid",
      reason: "other-resource",
    });
  });

  it("maps request paths to resource keys", () => {
    expect(resourceKeyForPath("/articles/deep-sea")).toBe("article:deep-sea");
    expect(resourceKeyForPath("/api/articles/deep-sea")).toBe("article:deep-sea");
    expect(resourceKeyForPath("/api/data/weather/harbor-tides.csv")).toBe("data:weather/harbor-tides.csv");
    expect(resourceKeyForPath("/studio")).toBeNull();
  });
});
