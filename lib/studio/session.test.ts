// The studio session token and its server-side record: round trip, expiry, a secret of its own
// (not the receipt secret), no confusion with receipts, revocation on sign-out (the cookie itself: lib/http/cookies.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, type DbHandle } from "../db/client";
import { issueReceipt, verifyReceipt } from "../verify";
import { issueSession, SESSION_TTL_SECONDS, verifySession } from "./session";
import { checkSession, endSession, startSession } from "./sessions";

const enc = (s: string) => new TextEncoder().encode(s);
const secret = enc("session-secret-session-secret-0123");
const receiptSecrets = { current: enc("receipt-secret-receipt-secret-0123"), previous: null };
const WALLET = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const ID = "AAAAAAAAAAAAAAAAAAAAAA";

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
});

afterAll(async () => {
  await handle.close();
});

describe("studio session token", () => {
  it("names the wallet, lowercase, and its session id, until it expires", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const token = await issueSession(WALLET.toUpperCase().replace("0X", "0x"), ID, secret, now);
    const check = await verifySession(token, secret, new Date(now.getTime() + 1000));
    expect(check).toEqual({
      kind: "valid",
      session: {
        id: ID,
        wallet: WALLET,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
      },
    });
    expect(
      await verifySession(token, secret, new Date(now.getTime() + SESSION_TTL_SECONDS * 1000 + 1000)),
    ).toEqual({ kind: "invalid", reason: "expired" });
  });

  it("is signed with the session secret only: the receipt secret does not make or check one", async () => {
    const token = await issueSession(WALLET, ID, secret);
    expect(await verifySession(token, receiptSecrets.current)).toEqual({
      kind: "invalid",
      reason: "bad-signature",
    });
    const byReceiptSecret = await issueSession(WALLET, ID, receiptSecrets.current);
    expect((await verifySession(byReceiptSecret, secret)).kind).toBe("invalid");
  });

  it("is not a receipt, and a receipt is not a session", async () => {
    const session = await issueSession(WALLET, ID, receiptSecrets.current);
    expect((await verifyReceipt(session, "article:x", receiptSecrets)).kind).toBe("invalid");
    const receipt = await issueReceipt(
      { sub: WALLET, res: "article:x", amt: "1", net: "eip155:1" },
      null,
      receiptSecrets,
    );
    expect((await verifySession(receipt, receiptSecrets.current)).kind).toBe("invalid");
  });

  it("refuses junk", async () => {
    expect(await verifySession(undefined, secret)).toEqual({ kind: "invalid", reason: "missing" });
    expect(await verifySession("a.b", secret)).toEqual({ kind: "invalid", reason: "malformed" });
    expect(await verifySession("a.b.c", secret)).toEqual({ kind: "invalid", reason: "malformed" });
  });
});

describe("studio sessions on the server", () => {
  it("count while their row lives; after sign-out the same token is revoked", async () => {
    const token = await startSession(db, WALLET, secret);
    expect((await checkSession(db, token, secret)).kind).toBe("valid");
    await endSession(db, token, secret);
    expect(await checkSession(db, token, secret)).toEqual({ kind: "invalid", reason: "revoked" });
    await endSession(db, token, secret); // twice is fine
  });

  it("refuse a correctly signed token whose session was never recorded", async () => {
    const token = await issueSession(WALLET, ID, secret);
    expect(await checkSession(db, token, secret)).toEqual({ kind: "invalid", reason: "revoked" });
  });

  it("revoke only the session signed out, not the wallet's others", async () => {
    const laptop = await startSession(db, WALLET, secret);
    const phone = await startSession(db, WALLET, secret);
    await endSession(db, laptop, secret);
    expect((await checkSession(db, laptop, secret)).kind).toBe("invalid");
    expect((await checkSession(db, phone, secret)).kind).toBe("valid");
  });
});
