// The README's verification command, run as a reader would (`npm run verify-receipt -- <receipt>
// <jwks>`, spawned): it accepts a receipt the site signed and refuses every edited field, a
// forged signature, and a key the site does not publish; after a rotation, receipts signed by
// the old key still verify by their kid as long as the old key is published.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { signReceipt, type SignedReceiptFields, type SignedReceiptFile } from "./signed-receipt";
import { derivedSigningJwk, jwksDocument, publicHalf, receiptSigningKeys } from "./signing-keys";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "kiosk-verify-receipt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMAND = "npm run verify-receipt -- receipt.json jwks.json";

/** Runs the documented command on these two files; its exit code and output. */
async function verify(receipt: unknown, jwks: unknown): Promise<{ code: number; out: string }> {
  const name = Math.random().toString(36).slice(2);
  const receiptFile = path.join(dir, `${name}-receipt.json`);
  const jwksFile = path.join(dir, `${name}-jwks.json`);
  writeFileSync(receiptFile, JSON.stringify(receipt, null, 2));
  writeFileSync(jwksFile, JSON.stringify(jwks));
  const [npm, ...args] = COMMAND.replace("receipt.json", receiptFile)
    .replace("jwks.json", jwksFile)
    .split(" ");
  try {
    const { stdout, stderr } = await run(npm!, args, { cwd: root });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const key = (kid: string) => ({ ...derivedSigningJwk(new TextEncoder().encode(`test ${kid}`)), kid });
const oldKey = key("2026-06");
const newKey = key("2026-12");

const fields: SignedReceiptFields = {
  type: "kiosk-receipt",
  version: 1,
  site: "https://kiosk.example",
  resource: {
    key: "article:deep-sea",
    url: "https://kiosk.example/api/articles/deep-sea",
    title: "The deep sea, priced",
  },
  price: { amount: "50000", asset: "0x" + "a".repeat(40), symbol: "USDC", decimals: 6 },
  payer: "0x" + "1".repeat(40),
  payTo: "0x" + "2".repeat(40),
  network: "eip155:8453",
  transaction: "0x" + "3".repeat(64),
  method: "authorization",
  paidAt: "2026-12-03T20:00:00.000Z",
  access: { from: "2026-12-03T20:00:00.000Z", until: "2027-01-02T20:00:00.000Z" },
  issuedAt: "2026-12-03T21:00:00.000Z",
};

/** A copy of the file with one field of the clear receipt changed. */
type Editable = SignedReceiptFields & { note?: string };

function edited(file: SignedReceiptFile, edit: (r: Editable) => void): SignedReceiptFile {
  const copy = structuredClone(file);
  edit(copy.receipt);
  return copy;
}

describe("npm run verify-receipt", () => {
  it("is the command the README shows", () => {
    expect(readFileSync(path.join(root, "README.md"), "utf8")).toContain(COMMAND);
  });

  it("accepts a signed receipt, and refuses each edited field and a forged signature", async () => {
    const keys = receiptSigningKeys(newKey, []);
    const jwks = jwksDocument(keys);
    const file = await signReceipt(fields, keys);

    const good = await verify(file, jwks);
    expect(good.out).toContain("valid (key 2026-12)");
    expect(good.code).toBe(0);

    const edits: [string, (r: Editable) => void][] = [
      ["site", (r) => (r.site = "https://other.example")],
      ["resource url", (r) => (r.resource.url = "https://kiosk.example/api/articles/other")],
      ["resource key", (r) => (r.resource.key = "article:other")],
      ["title", (r) => (r.resource.title = "Something else")],
      ["price", (r) => (r.price.amount = "5000000")],
      ["asset", (r) => (r.price.asset = "0x" + "b".repeat(40))],
      ["payer", (r) => (r.payer = "0x" + "4".repeat(40))],
      ["payTo", (r) => (r.payTo = "0x" + "5".repeat(40))],
      ["network", (r) => (r.network = "eip155:84532")],
      ["transaction", (r) => (r.transaction = "0x" + "6".repeat(64))],
      ["method", (r) => (r.method = "transfer")],
      ["time", (r) => (r.paidAt = "2026-12-01T20:00:00.000Z")],
      ["access window", (r) => (r.access.until = null)],
      ["an added field", (r) => (r.note = "refund owed")],
    ];
    for (const [what, edit] of edits) {
      const result = await verify(edited(file, edit), jwks);
      expect(result.code, what).toBe(1);
      expect(result.out, what).toContain("INVALID: the receipt's fields differ from what was signed");
    }

    // The signed payload itself swapped for another (a re-signed JWS by a key the site never published).
    const forged = await signReceipt(
      { ...fields, price: { ...fields.price, amount: "1" } },
      receiptSigningKeys({ ...key("x"), kid: "2026-12" }, []),
    );
    const result = await verify({ receipt: forged.receipt, jws: forged.jws }, jwks);
    expect(result.code).toBe(1);
    expect(result.out).toContain("INVALID: the signature does not match");
  });

  it("verifies a receipt signed before a rotation by its kid while the old key is published", async () => {
    const before = receiptSigningKeys(oldKey, []);
    const file = await signReceipt(fields, before);
    const after = receiptSigningKeys(newKey, [publicHalf(oldKey)]);
    expect(jwksDocument(after).keys.map((k) => k.kid)).toEqual(["2026-12", "2026-06"]);

    const old = await verify(file, jwksDocument(after));
    expect(old.out).toContain("valid (key 2026-06)");
    expect(old.code).toBe(0);
    // Signed after the rotation: the new key.
    const fresh = await verify(await signReceipt(fields, after), jwksDocument(after));
    expect(fresh.out).toContain("valid (key 2026-12)");

    // Once the old key is no longer published, its receipts no longer verify.
    const dropped = await verify(file, jwksDocument(receiptSigningKeys(newKey, [])));
    expect(dropped.code).toBe(1);
    expect(dropped.out).toContain("INVALID: no published key has this receipt's kid");
  });
});
