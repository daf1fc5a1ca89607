// Sign-In with Ethereum against a real (in-memory) PGlite with the real migrations, and real
// signatures from viem local accounts: a SIWE message replayed, for
// another domain, expired, or with a nonce the server never issued → rejected (the route's 401).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, custom } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { openDb, type Db, type DbHandle } from "../db/client";
import { signinNonces } from "../db/schema";
import { issueNonce, NONCE_TTL_MS, signInMessage, verifySignIn, type SignInExpectations } from "./siwe";
import { ANVIL_KEYS } from "../devnet/deploy"; // anvil's published test keys

// Anvil's well-known keys: worthless, and stable across runs.
const alice = privateKeyToAccount(ANVIL_KEYS[1]);
const mallory = privateKeyToAccount(ANVIL_KEYS[2]);

const site = { domain: "kiosk.test", origin: "https://kiosk.test", chainId: 31337 } as const;
const expect_ = (now = new Date()): SignInExpectations => ({
  ...site,
  purpose: "studio",
  now,
  chainClient: null,
});

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
});

afterAll(async () => {
  await handle.close();
});

async function signedMessage(overrides: Partial<Parameters<typeof signInMessage>[0]> = {}, signer = alice) {
  const { nonce } = await issueNonce(db);
  const now = new Date();
  const message = signInMessage({
    address: signer.address,
    ...site,
    nonce,
    issuedAt: now,
    expirationTime: new Date(now.getTime() + NONCE_TTL_MS),
    ...overrides,
  });
  return { message, signature: await signer.signMessage({ message }), nonce };
}

describe("nonces", () => {
  it("are long, random, stored, and expire in minutes", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const a = await issueNonce(db, now);
    const b = await issueNonce(db, now);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.nonce).toMatch(/^[a-zA-Z0-9]{32,}$/);
    expect(a.expiresAt.getTime() - now.getTime()).toBe(NONCE_TTL_MS);
    const [row] = await db.select().from(signinNonces).where(eq(signinNonces.nonce, a.nonce));
    expect(row?.usedAt).toBeNull();
  });
});

describe("verifySignIn", () => {
  it("signs in the wallet that signed a fresh message for this site, and spends the nonce", async () => {
    const { message, signature, nonce } = await signedMessage();
    const result = await verifySignIn(db, { message, signature }, expect_());
    expect(result).toEqual({ kind: "signed-in", wallet: alice.address.toLowerCase() });
    const [row] = await db.select().from(signinNonces).where(eq(signinNonces.nonce, nonce));
    expect(row?.usedAt).toBeInstanceOf(Date);
  });

  it("refuses a replay of a message that already signed in", async () => {
    const { message, signature } = await signedMessage();
    expect((await verifySignIn(db, { message, signature }, expect_())).kind).toBe("signed-in");
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "nonce-used",
    });
  });

  it("lets only one of two concurrent uses of one message through", async () => {
    const { message, signature } = await signedMessage();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => verifySignIn(db, { message, signature }, expect_())),
    );
    expect(results.filter((r) => r.kind === "signed-in")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "rejected" && r.reason === "nonce-used")).toHaveLength(4);
  });

  it("refuses a message for another domain, even one signed correctly", async () => {
    const { message, signature } = await signedMessage({
      domain: "evil.example",
      origin: "https://evil.example",
    });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "wrong-domain",
    });
  });

  it("refuses a message whose URI points at another site", async () => {
    const { message, signature } = await signedMessage({ origin: "https://evil.example" });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "wrong-uri",
    });
  });

  it("one verifier for both sign-ins: a reader's message signs in a reader, never the studio, and the other way round", async () => {
    const reader = await signedMessage({ purpose: "reader" });
    expect(reader.message).toContain("URI: https://kiosk.test/library");
    expect(await verifySignIn(db, reader, expect_())).toMatchObject({
      kind: "rejected",
      reason: "wrong-purpose",
    });
    expect(await verifySignIn(db, reader, { ...expect_(), purpose: "reader" })).toEqual({
      kind: "signed-in",
      wallet: alice.address.toLowerCase(),
    });
    const studio = await signedMessage();
    expect(await verifySignIn(db, studio, { ...expect_(), purpose: "reader" })).toMatchObject({
      kind: "rejected",
      reason: "wrong-purpose",
    });
    // A message with no statement still signs in to the studio (scripted clients), never a reader.
    const { nonce } = await issueNonce(db);
    const message = createSiweMessage({
      address: alice.address,
      ...site,
      uri: `${site.origin}/library`,
      nonce,
      issuedAt: new Date(),
      version: "1",
    });
    const bare = { message, signature: await alice.signMessage({ message }) };
    expect(await verifySignIn(db, bare, { ...expect_(), purpose: "reader" })).toMatchObject({
      reason: "wrong-purpose",
    });
    expect(await verifySignIn(db, bare, expect_())).toMatchObject({ kind: "signed-in" });
  });

  it("refuses a message for another chain", async () => {
    const { message, signature } = await signedMessage({ chainId: 8453 });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "wrong-chain",
    });
  });

  it("refuses an expired message", async () => {
    const past = new Date(Date.now() - 2 * 60_000);
    const { message, signature } = await signedMessage({
      issuedAt: past,
      expirationTime: new Date(Date.now() - 1_000),
    });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "expired",
    });
  });

  it("refuses a message issued longer ago than a nonce lives, even without an expiration time", async () => {
    const { message, signature } = await signedMessage({
      issuedAt: new Date(Date.now() - NONCE_TTL_MS - 5 * 60_000),
      expirationTime: undefined,
    });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "expired",
    });
  });

  it("refuses a nonce that expired before it was used", async () => {
    const { message, signature } = await signedMessage({ expirationTime: undefined });
    // The nonce lives NONCE_TTL_MS; arrive just after (the message itself is still within skew).
    const later = new Date(Date.now() + NONCE_TTL_MS + 1_000);
    expect(await verifySignIn(db, { message, signature }, expect_(later))).toMatchObject({
      kind: "rejected",
      reason: "nonce-expired",
    });
  });

  it("refuses a nonce the server never issued", async () => {
    const now = new Date();
    const message = signInMessage({
      address: alice.address,
      ...site,
      nonce: "madeUpByTheClient1234",
      issuedAt: now,
    });
    const signature = await alice.signMessage({ message });
    expect(await verifySignIn(db, { message, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "unknown-nonce",
    });
  });

  it("refuses a signature by another wallet, and leaves the nonce for the honest signer", async () => {
    const { message } = await signedMessage();
    const forged = await mallory.signMessage({ message });
    expect(await verifySignIn(db, { message, signature: forged }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "bad-signature",
    });
    expect(await verifySignIn(db, { message, signature: "0x1234" }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "bad-signature",
    });
    expect(await verifySignIn(db, { message, signature: "not hex" }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "bad-signature",
    });
    const honest = await alice.signMessage({ message });
    expect((await verifySignIn(db, { message, signature: honest }, expect_())).kind).toBe("signed-in");
  });

  it("refuses an edited message (the signature covers the text, not just the fields)", async () => {
    const { message, signature } = await signedMessage();
    const edited = message.replace(alice.address, mallory.address);
    expect(await verifySignIn(db, { message: edited, signature }, expect_())).toMatchObject({
      kind: "rejected",
      reason: "bad-signature",
    });
  });

  it("refuses text that is not a canonical SIWE message", async () => {
    const { message, signature, nonce } = await signedMessage();
    for (const text of [
      "hello",
      "",
      message + "\nURI: https://evil.example/",
      message.replace(alice.address, alice.address.toLowerCase()),
      createSiweMessage({
        address: alice.address,
        ...site,
        uri: "https://kiosk.test/",
        nonce,
        version: "1",
        issuedAt: new Date(),
      }).replace("Version: 1", "Version: 2"),
    ]) {
      expect(await verifySignIn(db, { message: text, signature }, expect_()), text).toMatchObject({
        kind: "rejected",
        reason: "malformed",
      });
    }
  });

  it("looks at the nonce before the chain: a contract-style signature with a nonce we never issued costs no RPC call", async () => {
    const calls: string[] = [];
    const chainClient = createPublicClient({
      transport: custom({
        async request({ method }: { method: string }) {
          calls.push(method);
          throw new Error("no chain in this test");
        },
      }),
    });
    // Not 65 bytes, so ECDSA recovery can't decide: only a chain call (ERC-1271/6492) could.
    const junk = `0x${"ab".repeat(300)}`;
    const unknown = signInMessage({
      address: alice.address,
      ...site,
      nonce: "neverIssuedByUs12345",
      issuedAt: new Date(),
    });
    expect(
      await verifySignIn(db, { message: unknown, signature: junk }, { ...expect_(), chainClient }),
    ).toMatchObject({ kind: "rejected", reason: "unknown-nonce" });
    expect(calls).toEqual([]);

    // The same junk with a live nonce is worth asking the chain about (and fails there).
    const { message } = await signedMessage();
    expect(await verifySignIn(db, { message, signature: junk }, { ...expect_(), chainClient })).toMatchObject(
      { kind: "rejected", reason: "bad-signature" },
    );
    expect(calls.length).toBeGreaterThan(0);
  });

  it("gives every rejection a sentence a person can act on", async () => {
    const { message, signature } = await signedMessage({ domain: "evil.example" });
    const result = await verifySignIn(db, { message, signature }, expect_());
    expect(result.kind === "rejected" && result.message).toBe("The message is for another site.");
  });
});
