import { describe, expect, it } from "vitest";
import {
  issueReceipt,
  LEGACY_RECEIPTS_UNTIL,
  receiptAudience,
  receiptCookiePaths,
  verifyReceipt,
} from "./verify";

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
});

describe("receipt audience and rotation", () => {
  const prod = receiptAudience("eip155:8453", "https://kiosk.example/");
  const shared = enc("shared-by-two-deployments-0123456789");
  const at = (iso: string) => new Date(iso);

  it("names its deployment, and another deployment sharing the secret refuses it", async () => {
    expect(prod).toBe("eip155:8453 https://kiosk.example");
    const keys = { current: shared, previous: null, audience: prod };
    const token = await issueReceipt(claims, null, keys);
    expect((await verifyReceipt(token, claims.res, keys)).kind).toBe("valid");
    for (const audience of [
      receiptAudience("eip155:8453", "https://staging.kiosk.example"),
      receiptAudience("eip155:84532", "https://kiosk.example"),
      receiptAudience("eip155:8453", null),
    ]) {
      expect(await verifyReceipt(token, claims.res, { current: shared, previous: null, audience })).toEqual({
        kind: "invalid",
        reason: "other-audience",
      });
    }
  });

  it("accepts a receipt issued before audiences, by the current secret, until the cutoff and not after", async () => {
    // What the code before audiences issued: no aud claim.
    const legacy = await issueReceipt(claims, null, { current: shared, previous: null });
    const keys = { current: shared, previous: null, audience: prod };
    const before = new Date(LEGACY_RECEIPTS_UNTIL.getTime() - 1_000);
    expect((await verifyReceipt(legacy, claims.res, keys, before)).kind).toBe("valid");
    // The same token, now cached, is refused once the cutoff has passed.
    expect(await verifyReceipt(legacy, claims.res, keys, LEGACY_RECEIPTS_UNTIL)).toEqual({
      kind: "invalid",
      reason: "expired",
    });
    const custom = { ...keys, legacyUntil: at("2026-06-01T00:00:00Z") };
    expect((await verifyReceipt(legacy, claims.res, custom, at("2026-05-31T23:59:59Z"))).kind).toBe("valid");
    expect((await verifyReceipt(legacy, claims.res, custom, at("2026-06-01T00:00:01Z"))).kind).toBe(
      "invalid",
    );
    // Signed by a secret that has since become the previous one: not honoured as legacy.
    const rotated = { current: enc("n".repeat(32)), previous: shared, previousUntil: null, audience: prod };
    expect((await verifyReceipt(legacy, claims.res, rotated, before)).kind).toBe("invalid");
  });

  it("accepts the previous secret until its end date, and refuses it after", async () => {
    const old = { current: shared, previous: null, audience: prod };
    const token = await issueReceipt(claims, null, old);
    const until = at("2027-01-31T00:00:00Z");
    const rotated = { current: enc("n".repeat(32)), previous: shared, previousUntil: until, audience: prod };
    expect((await verifyReceipt(token, claims.res, rotated, at("2027-01-30T23:59:59Z"))).kind).toBe("valid");
    // Cached by the call above, and refused all the same.
    expect(await verifyReceipt(token, claims.res, rotated, until)).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
    const fresh = { ...rotated }; // another keys object: no cache
    expect((await verifyReceipt(token, claims.res, fresh, at("2027-02-01T00:00:00Z"))).kind).toBe("invalid");
    // Receipts of the current secret are unaffected by the end date.
    const current = await issueReceipt(claims, null, rotated);
    expect((await verifyReceipt(current, claims.res, rotated, at("2030-01-01T00:00:00Z"))).kind).toBe(
      "valid",
    );
  });
});
