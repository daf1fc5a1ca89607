// The studio session token: round trip, expiry, secret rotation, and no confusion with receipts
// (which are signed with the raw receipt secret; sessions with a key derived from it).
import { describe, expect, it } from "vitest";
import { issueReceipt, verifyReceipt } from "../verify";
import { issueSession, readCookie, SESSION_TTL_SECONDS, verifySession } from "./session";

const enc = (s: string) => new TextEncoder().encode(s);
const secrets = { current: enc("current-secret-current-secret-0123"), previous: null };
const WALLET = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

describe("studio session", () => {
  it("names the wallet, lowercase, until it expires", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const token = await issueSession(WALLET.toUpperCase().replace("0X", "0x"), secrets, now);
    const check = await verifySession(token, secrets, new Date(now.getTime() + 1000));
    expect(check).toEqual({
      kind: "valid",
      session: {
        wallet: WALLET,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
      },
    });
    expect(
      await verifySession(token, secrets, new Date(now.getTime() + SESSION_TTL_SECONDS * 1000 + 1000)),
    ).toEqual({
      kind: "invalid",
      reason: "expired",
    });
  });

  it("survives a rotation through the previous secret, and not another secret", async () => {
    const token = await issueSession(WALLET, secrets);
    const rotated = { current: enc("the-next-secret-the-next-secret-01"), previous: secrets.current };
    expect((await verifySession(token, rotated)).kind).toBe("valid");
    expect(await verifySession(token, { current: rotated.current, previous: null })).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
  });

  it("is not a receipt, and a receipt is not a session", async () => {
    const session = await issueSession(WALLET, secrets);
    expect((await verifyReceipt(session, "article:x", secrets)).kind).toBe("invalid");
    const receipt = await issueReceipt(
      { sub: WALLET, res: "article:x", amt: "1", net: "eip155:1" },
      null,
      secrets,
    );
    expect((await verifySession(receipt, secrets)).kind).toBe("invalid");
  });

  it("refuses junk", async () => {
    expect(await verifySession(undefined, secrets)).toEqual({ kind: "invalid", reason: "missing" });
    expect(await verifySession("a.b", secrets)).toEqual({ kind: "invalid", reason: "malformed" });
    expect(await verifySession("a.b.c", secrets)).toEqual({ kind: "invalid", reason: "malformed" });
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(readCookie("a=1; kiosk_studio=tok.en.x; b=2", "kiosk_studio")).toBe("tok.en.x");
    expect(readCookie("kiosk_studio_other=1", "kiosk_studio")).toBeNull();
    expect(readCookie(null, "kiosk_studio")).toBeNull();
  });
});
