import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ANVIL_KEYS } from "./devnet/anvil-keys";
import { fakeDevnet } from "./devnet/fixture";
import { parseEnv } from "./env";
import { derivedSigningJwk, publicHalf } from "./receipts/signing-keys";

/** A real private JWK, named `kid`. */
const signingKey = (kid: string) => ({ ...derivedSigningJwk(new TextEncoder().encode(kid)), kid });

const devnetDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kiosk-env-"));
  writeFileSync(path.join(dir, "devnet.json"), JSON.stringify(fakeDevnet()));
  return dir;
};

describe("parseEnv", () => {
  it("runs locally with no variables beyond the devnet file, generating a dev receipt secret once", () => {
    const dir = devnetDir();
    const a = parseEnv({ KIOSK_DATA_DIR: dir });
    expect(a.network).toMatchObject({
      name: "local",
      caip2: "eip155:31337",
      usdcName: "USD Coin",
      minConfirmations: 1,
    });
    expect(a.facilitator.kind).toBe("in-process");
    expect(a.database).toEqual({ kind: "pglite", dataDir: path.join(dir, "pglite") });
    expect(parseEnv({ KIOSK_DATA_DIR: dir }).receiptSecrets.current).toEqual(a.receiptSecrets.current);
  });

  it("lets the in-process relayer deploy counterfactual wallets through the devnet's factory and the listed ones only", () => {
    const dir = devnetDir();
    const local = parseEnv({ KIOSK_DATA_DIR: dir }).facilitator;
    expect(local.kind === "in-process" && local.walletFactories).toEqual([fakeDevnet().walletFactory]);
    const extra = "0x000000000000000000000000000000000000dEaD";
    const listed = parseEnv({ KIOSK_DATA_DIR: dir, ERC6492_FACTORIES: ` ${extra} ` }).facilitator;
    expect(listed.kind === "in-process" && listed.walletFactories).toEqual([
      extra,
      fakeDevnet().walletFactory,
    ]);
    expect(() => parseEnv({ KIOSK_DATA_DIR: dir, ERC6492_FACTORIES: "0x1234" })).toThrow(/ERC6492_FACTORIES/);
  });

  it("refuses to start in production without RECEIPT_SECRET", () => {
    expect(() => parseEnv({ NODE_ENV: "production", KIOSK_DATA_DIR: devnetDir() })).toThrow(
      /RECEIPT_SECRET is required/,
    );
    expect(() =>
      parseEnv({ NODE_ENV: "production", KIOSK_DATA_DIR: devnetDir(), RECEIPT_SECRET: "short" }),
    ).toThrow(/32 characters/);
  });

  it("gives sessions their own secret: required in production, 32+ characters, generated once in dev", () => {
    const receipt = "r".repeat(40);
    expect(() =>
      parseEnv({ NODE_ENV: "production", KIOSK_DATA_DIR: devnetDir(), RECEIPT_SECRET: receipt }),
    ).toThrow(/SESSION_SECRET is required in production/);
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        KIOSK_DATA_DIR: devnetDir(),
        RECEIPT_SECRET: receipt,
        SESSION_SECRET: "short",
      }),
    ).toThrow(/SESSION_SECRET must be at least 32 characters/);
    const prod = parseEnv({
      NODE_ENV: "production",
      KIOSK_DATA_DIR: devnetDir(),
      RECEIPT_SECRET: receipt,
      SESSION_SECRET: "s".repeat(40),
    });
    expect(new TextDecoder().decode(prod.sessionSecret)).toBe("s".repeat(40));

    const dir = devnetDir();
    const dev = parseEnv({ KIOSK_DATA_DIR: dir });
    expect(dev.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(dev.sessionSecret).not.toEqual(dev.receiptSecrets.current);
    expect(parseEnv({ KIOSK_DATA_DIR: dir }).sessionSecret).toEqual(dev.sessionSecret);
    // Rotating the receipt secret leaves sessions alone.
    expect(parseEnv({ KIOSK_DATA_DIR: dir, RECEIPT_SECRET: receipt }).sessionSecret).toEqual(
      dev.sessionSecret,
    );
  });

  it("knows Base Sepolia and Base, and needs a facilitator or relayer there", () => {
    const secret = "s".repeat(40);
    const sepolia = parseEnv({
      KIOSK_NETWORK: "base-sepolia",
      FACILITATOR_URL: "https://x402.org/facilitator/",
      RECEIPT_SECRET: secret,
    });
    expect(sepolia.network).toMatchObject({
      caip2: "eip155:84532",
      v1Name: "base-sepolia",
      usdcName: "USDC",
      usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    });
    expect(sepolia.facilitator).toEqual({ kind: "http", url: "https://x402.org/facilitator", cdp: null });
    const base = parseEnv({
      KIOSK_NETWORK: "base",
      RELAYER_PRIVATE_KEY: "0x" + "1".repeat(64),
      RECEIPT_SECRET: secret,
      DATABASE_URL: "postgres://u:p@db/kiosk",
    });
    expect(base.network).toMatchObject({ caip2: "eip155:8453", usdcName: "USD Coin", minConfirmations: 2 });
    expect(base.database).toEqual({ kind: "postgres", url: "postgres://u:p@db/kiosk" });
    expect(() => parseEnv({ KIOSK_NETWORK: "base", RECEIPT_SECRET: secret })).toThrow(/FACILITATOR_URL/);
  });

  it("refuses a real network in production without what a real deployment needs, one line each", () => {
    const good = {
      NODE_ENV: "production",
      KIOSK_NETWORK: "base",
      DATABASE_URL: "postgres://u:p@db.example/kiosk",
      PUBLIC_URL: "https://kiosk.example",
      RECEIPT_SECRET: "r".repeat(32),
      SESSION_SECRET: "s".repeat(32),
      FACILITATOR_URL: "https://api.cdp.coinbase.com/platform/v2/x402",
      RECEIPT_SIGNING_KEY: JSON.stringify(signingKey("prod-1")),
    };
    expect(parseEnv(good).database.kind).toBe("postgres");
    expect(parseEnv(good).serverless).toBe(false);
    expect(parseEnv({ ...good, VERCEL: "1" }).serverless).toBe(true);
    const without = (name: keyof typeof good) => {
      const copy: Record<string, string> = { ...good };
      delete copy[name];
      return copy;
    };
    const refusals: [Record<string, string>, RegExp][] = [
      [without("DATABASE_URL"), /^DATABASE_URL is required on base in production/],
      [without("PUBLIC_URL"), /^PUBLIC_URL is required on base in production/],
      [{ ...good, PUBLIC_URL: "http://kiosk.example" }, /^PUBLIC_URL must be https/],
      [without("RECEIPT_SECRET"), /^RECEIPT_SECRET is required on base/],
      [without("SESSION_SECRET"), /^SESSION_SECRET is required on base/],
      [without("RECEIPT_SIGNING_KEY"), /^RECEIPT_SIGNING_KEY is required on base/],
      [without("FACILITATOR_URL"), /^Set FACILITATOR_URL .* or RELAYER_PRIVATE_KEY on base/],
      [
        { ...without("FACILITATOR_URL"), RELAYER_PRIVATE_KEY: ANVIL_KEYS[2] },
        /^RELAYER_PRIVATE_KEY is one of anvil's published test keys/,
      ],
      [
        { ...without("DATABASE_URL"), KIOSK_NETWORK: "base-sepolia" },
        /^DATABASE_URL is required on base-sepolia/,
      ],
    ];
    for (const [source, message] of refusals) {
      let thrown: Error | null = null;
      try {
        parseEnv(source);
      } catch (error) {
        thrown = error as Error;
      }
      expect(thrown?.message, JSON.stringify(source)).toMatch(message);
      expect(thrown?.message).not.toContain("\n");
    }
    // The local network still runs in production mode (npm start, the e2e suite, the bench).
    const local = parseEnv({
      NODE_ENV: "production",
      KIOSK_DATA_DIR: devnetDir(),
      RECEIPT_SECRET: "r".repeat(32),
      SESSION_SECRET: "s".repeat(32),
    });
    expect(local.database.kind).toBe("pglite");
  });

  it("names the bad variable in one line", () => {
    expect(() => parseEnv({ KIOSK_NETWORK: "mainnet" })).toThrow(/KIOSK_NETWORK/);
    expect(() => parseEnv({ PORT: "http" })).toThrow(/PORT/);
    expect(() => parseEnv({ KIOSK_DATA_DIR: mkdtempSync(path.join(tmpdir(), "kiosk-none-")) })).toThrow(
      /npm run dev/,
    );
  });

  it("binds receipts to the deployment: the network, and PUBLIC_URL's origin when set", () => {
    const dir = devnetDir();
    expect(parseEnv({ KIOSK_DATA_DIR: dir }).receiptSecrets.audience).toBe("eip155:31337");
    const base = parseEnv({
      KIOSK_NETWORK: "base",
      FACILITATOR_URL: "https://x402.org/facilitator",
      RECEIPT_SECRET: "0123456789abcdef0123456789abcdef",
      PUBLIC_URL: "https://kiosk.example/",
    });
    expect(base.receiptSecrets.audience).toBe("eip155:8453 https://kiosk.example");
  });

  it("gives the previous receipt secret an end date, and refuses it without one", () => {
    const dir = devnetDir();
    const previous = "p".repeat(32);
    expect(() => parseEnv({ KIOSK_DATA_DIR: dir, RECEIPT_SECRET_PREVIOUS: previous })).toThrow(
      /RECEIPT_SECRET_PREVIOUS_UNTIL is required/,
    );
    for (const bad of ["next month", "2027-13-45", "31/01/2027"]) {
      expect(() =>
        parseEnv({
          KIOSK_DATA_DIR: dir,
          RECEIPT_SECRET_PREVIOUS: previous,
          RECEIPT_SECRET_PREVIOUS_UNTIL: bad,
        }),
      ).toThrow(/RECEIPT_SECRET_PREVIOUS_UNTIL/);
    }
    const rotated = parseEnv({
      KIOSK_DATA_DIR: dir,
      RECEIPT_SECRET_PREVIOUS: previous,
      RECEIPT_SECRET_PREVIOUS_UNTIL: "2027-01-31",
    });
    expect(rotated.receiptSecrets.previousUntil).toEqual(new Date("2027-01-31T00:00:00Z"));
    expect(rotated.receiptSecrets.previous).toEqual(new TextEncoder().encode(previous));
  });

  it("signs downloadable receipts with RECEIPT_SIGNING_KEY and publishes earlier keys beside it", () => {
    const dir = devnetDir();
    // Locally, a key derived from the receipt secret: the same after a restart.
    const dev = parseEnv({ KIOSK_DATA_DIR: dir });
    expect(dev.receiptSigning.signing.kid).toMatch(/^derived-/);
    expect(parseEnv({ KIOSK_DATA_DIR: dir }).receiptSigning.published).toEqual(dev.receiptSigning.published);
    expect(parseEnv({ KIOSK_DATA_DIR: devnetDir() }).receiptSigning.signing.kid).not.toBe(
      dev.receiptSigning.signing.kid,
    );

    const current = signingKey("2026-12");
    const earlier = publicHalf(signingKey("2026-06"));
    const rotated = parseEnv({
      KIOSK_DATA_DIR: dir,
      RECEIPT_SIGNING_KEY: JSON.stringify(current),
      RECEIPT_PUBLISHED_KEYS: JSON.stringify([earlier]),
    }).receiptSigning;
    expect(rotated.signing).toMatchObject({ kid: "2026-12", alg: "EdDSA" });
    expect(rotated.published.map((k) => k.kid)).toEqual(["2026-12", "2026-06"]);
    expect(JSON.stringify(rotated.published)).not.toContain(current.d);

    const refusals: [Record<string, string>, RegExp][] = [
      [{ RECEIPT_SIGNING_KEY: "{not json" }, /RECEIPT_SIGNING_KEY: not JSON/],
      [{ RECEIPT_SIGNING_KEY: JSON.stringify(publicHalf(current)) }, /RECEIPT_SIGNING_KEY/],
      [{ RECEIPT_SIGNING_KEY: JSON.stringify({ ...current, kid: undefined }) }, /RECEIPT_SIGNING_KEY/],
      [{ RECEIPT_SIGNING_KEY: JSON.stringify({ ...current, x: earlier.x }) }, /does not match/],
      // A private key in the published list would be published.
      [{ RECEIPT_PUBLISHED_KEYS: JSON.stringify([signingKey("leak")]) }, /RECEIPT_PUBLISHED_KEYS/],
      [
        {
          RECEIPT_SIGNING_KEY: JSON.stringify(current),
          RECEIPT_PUBLISHED_KEYS: JSON.stringify([{ ...earlier, kid: "2026-12" }]),
        },
        /share the kid "2026-12"/,
      ],
    ];
    for (const [extra, message] of refusals)
      expect(() => parseEnv({ KIOSK_DATA_DIR: dir, ...extra }), JSON.stringify(extra)).toThrow(message);
  });
});
