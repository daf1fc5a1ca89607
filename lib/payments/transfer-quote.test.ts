// Transfer quotes are signed on every 402, so issuing one is synchronous (node:crypto's HMAC);
// what it produces must still be an ordinary HS256 JWT that jose verifies, with the key derived
// for quotes only, and every claim the check relies on.
import { createHmac } from "node:crypto";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  issueTransferQuote,
  MAX_QUOTE_MARKUP,
  TRANSFER_QUOTE_TTL_SECONDS,
  verifyTransferQuote,
} from "./transfer-quote";

const secrets = { current: new TextEncoder().encode("quote-test-secret-0123456789abcdef!"), previous: null };
const offer = {
  resource: "article:quote-test",
  price: 10_000n,
  payTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  network: "eip155:31337",
};
const now = new Date("2026-12-03T12:00:00Z");

describe("transfer quotes", () => {
  it("are issued without waiting on anything: a value, not a promise", () => {
    const quote = issueTransferQuote(offer, secrets, now);
    expect(quote).not.toBeInstanceOf(Promise);
    expect(quote.amount > offer.price && quote.amount <= offer.price + BigInt(MAX_QUOTE_MARKUP)).toBe(true);
    expect(quote.expiresAt.getTime()).toBe(now.getTime() + TRANSFER_QUOTE_TTL_SECONDS * 1000);
  });

  it("are HS256 JWTs under the quote key that jose verifies, with every claim", async () => {
    const quote = issueTransferQuote(offer, secrets, now);
    const key = createHmac("sha256", secrets.current).update("kiosk transfer quote v1").digest();
    const { payload, protectedHeader } = await jwtVerify(quote.token, key, {
      algorithms: ["HS256"],
      issuer: "kiosk",
      audience: "kiosk:transfer-quote",
      currentDate: now,
    });
    expect(protectedHeader).toEqual({ alg: "HS256" });
    expect(payload).toEqual({
      res: offer.resource,
      amt: quote.amount.toString(),
      payTo: offer.payTo.toLowerCase(),
      net: offer.network,
      iss: "kiosk",
      aud: "kiosk:transfer-quote",
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + TRANSFER_QUOTE_TTL_SECONDS,
    });
    // The bare secret (what receipts are signed with) does not verify it.
    await expect(jwtVerify(quote.token, secrets.current, { algorithms: ["HS256"] })).rejects.toThrow();
  });

  it("check out here, and are refused when edited, for another resource, or by another secret", async () => {
    const quote = issueTransferQuote(offer, secrets, now);
    const check = await verifyTransferQuote(quote.token, offer, secrets, now);
    expect(check).toEqual({
      kind: "valid",
      quote: {
        resource: offer.resource,
        amount: quote.amount,
        payTo: offer.payTo.toLowerCase(),
        network: offer.network,
        issuedAt: now,
        expiresAt: quote.expiresAt,
      },
    });
    const [header, body, signature] = quote.token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as { amt: string };
    const cheaper = Buffer.from(JSON.stringify({ ...claims, amt: offer.price.toString() })).toString(
      "base64url",
    );
    expect(await verifyTransferQuote(`${header}.${cheaper}.${signature}`, offer, secrets, now)).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
    expect(
      await verifyTransferQuote(quote.token, { ...offer, resource: "article:other" }, secrets, now),
    ).toEqual({ kind: "invalid", reason: "other-resource" });
    const elsewhere = {
      current: new TextEncoder().encode("another-deployment-secret-0123456789"),
      previous: null,
    };
    expect(await verifyTransferQuote(quote.token, offer, elsewhere, now)).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
    // A rotated secret: quotes from the previous one still verify.
    const rotated = { current: elsewhere.current, previous: secrets.current };
    expect((await verifyTransferQuote(quote.token, offer, rotated, now)).kind).toBe("valid");
  });
});
