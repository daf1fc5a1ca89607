// Reading GET /api/reader/holds for the connected wallet: an owner only when the reader session is
// that wallet's and it holds the item; a session of another wallet proves nothing about this one.
import { describe, expect, it } from "vitest";
import { holdsPath, ownershipFrom } from "./ownership";

const ME = "0x1234567890abcdef1234567890abcdef12345678";
const OTHER = "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd";
const unproven = { kind: "unproven", signingIn: false, error: null };

describe("ownershipFrom", () => {
  it("no reader session (401): unproven, so the paywall offers a sign-in", () => {
    expect(ownershipFrom(401, { error: { code: "not_signed_in" } }, ME)).toEqual(unproven);
  });

  it("signed in as the connected wallet: owner when it holds the item, not-owner otherwise (any case)", () => {
    expect(ownershipFrom(200, { wallet: ME.toUpperCase().replace("0X", "0x"), held: true }, ME)).toEqual({
      kind: "owner",
    });
    expect(ownershipFrom(200, { wallet: ME, held: false }, ME)).toEqual({ kind: "not-owner" });
  });

  it("signed in as another wallet: unproven, even when that wallet holds the item", () => {
    expect(ownershipFrom(200, { wallet: OTHER, held: true }, ME)).toEqual(unproven);
  });

  it("an outage or an answer of another shape: unknown (the price stands)", () => {
    expect(ownershipFrom(503, null, ME)).toEqual({ kind: "unknown" });
    expect(ownershipFrom(200, { wallet: ME, held: "yes" }, ME)).toEqual({ kind: "unknown" });
    expect(ownershipFrom(200, null, ME)).toEqual({ kind: "unknown" });
  });

  it("asks about the resource key, encoded", () => {
    expect(holdsPath("article:deep-sea")).toBe("/api/reader/holds?resource=article%3Adeep-sea");
  });
});
