// The only reader of process.env. Parsed once, lazily (so `next build` never needs runtime
// secrets), validated with zod; local defaults come from .data/ so no .env file is needed.
import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ANVIL_KEYS } from "./devnet/anvil-keys";
import { readDevnet, type Devnet } from "./devnet/file";
import {
  derivedSigningJwk,
  publicJwkSchema,
  receiptSigningKeys,
  signingJwkSchema,
  type ReceiptSigningKeys,
} from "./receipts/signing-keys";
import { receiptAudience, type ReceiptSecrets } from "./verify";

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);
/** A JSON value in a variable: parsed here, so a typo is named as the variable's problem. */
const json = <S extends z.ZodTypeAny>(schema: S, what: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not JSON (${what} expected)` });
          return z.NEVER;
        }
      })
      .pipe(schema)
      .optional(),
  );

const rawEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  KIOSK_DATA_DIR: z.string().default(".data"),
  KIOSK_NETWORK: z.enum(["local", "base-sepolia", "base"]).default("local"),
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  RPC_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  USDC_ADDRESS: z.preprocess(emptyToUndefined, hexAddress.optional()),
  RECEIPT_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, "RECEIPT_SECRET must be at least 32 characters").optional(),
  ),
  RECEIPT_SECRET_PREVIOUS: z.preprocess(emptyToUndefined, z.string().min(32).optional()),
  /** After this instant (ISO 8601, e.g. 2027-01-31 or 2027-01-31T12:00:00Z) the previous secret is refused. */
  RECEIPT_SECRET_PREVIOUS_UNTIL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, "an ISO 8601 date")
      .refine((v) => !Number.isNaN(Date.parse(v)), "an ISO 8601 date")
      .optional(),
  ),
  /** The private JWK (Ed25519 or P-256, with a kid) that signs downloadable receipts. */
  RECEIPT_SIGNING_KEY: json(signingJwkSchema, "a private JWK with kid"),
  /** Public JWKs of earlier signing keys, still published so the receipts they signed verify. */
  RECEIPT_PUBLISHED_KEYS: json(z.array(publicJwkSchema).max(10), "a JSON array of public JWKs"),
  SESSION_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  ),
  FACILITATOR_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  RELAYER_PRIVATE_KEY: z.preprocess(emptyToUndefined, hexKey.optional()),
  RELAYER_MAX_FEE_GWEI: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(10_000).default(5)),
  /** Smart-wallet factories (comma-separated) the in-process relayer may call to deploy an ERC-6492 payer. */
  ERC6492_FACTORIES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v) => v.split(",").map((a) => a.trim()))
      .pipe(z.array(hexAddress).max(20))
      .optional(),
  ),
  CDP_API_KEY_ID: z.preprocess(emptyToUndefined, z.string().optional()),
  CDP_API_KEY_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
  MIN_CONFIRMATIONS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).optional()),
  WALLETCONNECT_PROJECT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
  /** How many proxies in front of Kiosk append to X-Forwarded-For (Vercel: 1). 0 = trust none. */
  TRUSTED_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(0)),
  /** Set to "1" by Vercel in its functions. */
  VERCEL: z.preprocess(emptyToUndefined, z.string().optional()),
  /** Bearer token for /api/cron/* (Vercel sends `Authorization: Bearer $CRON_SECRET`). */
  CRON_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  ),
});

export type NetworkConfig = {
  name: "local" | "base-sepolia" | "base";
  chainId: number;
  /** CAIP-2 id, e.g. "eip155:8453". */
  caip2: `eip155:${number}`;
  /** The x402 v1 network name, where v1 has one. */
  v1Name: "base" | "base-sepolia" | null;
  usdc: `0x${string}`;
  usdcName: string;
  usdcVersion: string;
  rpcUrl: string;
  explorerTxUrl: string | null;
  minConfirmations: number;
};

export type Env = {
  nodeEnv: "development" | "production" | "test";
  dataDir: string;
  publicUrl: string | null;
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };
  network: NetworkConfig;
  receiptSecrets: ReceiptSecrets & { audience: string };
  /** Signs the downloadable receipts; its public half and earlier keys are published as a JWK Set. */
  receiptSigning: ReceiptSigningKeys;
  /** Signs studio sessions; its own secret, so rotating it signs everyone out and voids no receipt. */
  sessionSecret: Uint8Array;
  /** Trusted proxies in front of the server; the client IP is read only through them. */
  trustedProxyHops: number;
  /** Running as Vercel functions: a small database pool released before each suspension. */
  serverless: boolean;
  /** Null: the cron routes are off (a long-lived server still sweeps on its own timer). */
  cronSecret: string | null;
  facilitator:
    | {
        kind: "in-process";
        relayerPrivateKey: `0x${string}`;
        /** The most the relayer pays per gas (gwei); above it, settlements pause (503). */
        maxFeeGwei: number;
        /** Factories it may call to deploy a counterfactual (ERC-6492) payer before settling. */
        walletFactories: `0x${string}`[];
      }
    | { kind: "http"; url: string; cdp: { keyId: string; keySecret: string } | null };
  walletConnectProjectId: string | null;
  devnet: Devnet | null;
};

const KNOWN_NETWORKS = {
  base: {
    chainId: 8453,
    usdc: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    usdcName: "USD Coin",
    rpcUrl: "https://mainnet.base.org",
    explorer: "https://basescan.org/tx/",
    confirmations: 2,
  },
  "base-sepolia": {
    chainId: 84532,
    usdc: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    usdcName: "USDC",
    rpcUrl: "https://sepolia.base.org",
    explorer: "https://sepolia.basescan.org/tx/",
    confirmations: 1,
  },
} as const;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(`Invalid environment: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const raw = parsed.data;
  if (raw.NODE_ENV === "production" && raw.KIOSK_NETWORK !== "local") refuseUnsafeDeployment(raw);
  const dataDir = path.resolve(raw.KIOSK_DATA_DIR);
  const devnet = raw.KIOSK_NETWORK === "local" ? readDevnet(dataDir) : null;

  let network: NetworkConfig;
  if (raw.KIOSK_NETWORK === "local") {
    const usdc = raw.USDC_ADDRESS ?? devnet?.usdc;
    const rpcUrl = raw.RPC_URL ?? devnet?.rpcUrl;
    if (!usdc || !rpcUrl) {
      throw new EnvError(
        `No local chain found: ${path.join(dataDir, "devnet.json")} is missing. Start the stack with \`npm run dev\`, or set RPC_URL and USDC_ADDRESS.`,
      );
    }
    network = {
      name: "local",
      chainId: devnet?.chainId ?? 31337,
      caip2: `eip155:${devnet?.chainId ?? 31337}`,
      v1Name: null,
      usdc: usdc as `0x${string}`,
      usdcName: "USD Coin",
      usdcVersion: "2",
      rpcUrl,
      explorerTxUrl: null,
      minConfirmations: raw.MIN_CONFIRMATIONS ?? 1,
    };
  } else {
    const known = KNOWN_NETWORKS[raw.KIOSK_NETWORK];
    network = {
      name: raw.KIOSK_NETWORK,
      chainId: known.chainId,
      caip2: `eip155:${known.chainId}`,
      v1Name: raw.KIOSK_NETWORK,
      usdc: (raw.USDC_ADDRESS ?? known.usdc) as `0x${string}`,
      usdcName: known.usdcName,
      usdcVersion: "2",
      rpcUrl: raw.RPC_URL ?? known.rpcUrl,
      explorerTxUrl: known.explorer,
      minConfirmations: raw.MIN_CONFIRMATIONS ?? known.confirmations,
    };
  }

  if (raw.RECEIPT_SECRET_PREVIOUS && !raw.RECEIPT_SECRET_PREVIOUS_UNTIL) {
    throw new EnvError(
      "RECEIPT_SECRET_PREVIOUS_UNTIL is required with RECEIPT_SECRET_PREVIOUS: the ISO date after which receipts signed by the previous secret are refused (e.g. the longest access window after the rotation).",
    );
  }
  const publicUrl = raw.PUBLIC_URL?.replace(/\/$/, "") ?? null;
  const receiptSecrets = {
    current: new TextEncoder().encode(
      raw.RECEIPT_SECRET ?? devSecret("RECEIPT_SECRET", raw.NODE_ENV, dataDir),
    ),
    previous: raw.RECEIPT_SECRET_PREVIOUS ? new TextEncoder().encode(raw.RECEIPT_SECRET_PREVIOUS) : null,
    previousUntil: raw.RECEIPT_SECRET_PREVIOUS_UNTIL ? new Date(raw.RECEIPT_SECRET_PREVIOUS_UNTIL) : null,
    audience: receiptAudience(network.caip2, publicUrl),
  };

  let receiptSigning: ReceiptSigningKeys;
  try {
    receiptSigning = receiptSigningKeys(
      raw.RECEIPT_SIGNING_KEY ?? derivedSigningJwk(receiptSecrets.current),
      raw.RECEIPT_PUBLISHED_KEYS ?? [],
    );
  } catch (error) {
    throw new EnvError(`Invalid environment: RECEIPT_SIGNING_KEY: ${(error as Error).message}`);
  }

  const sessionSecret = new TextEncoder().encode(
    raw.SESSION_SECRET ?? devSecret("SESSION_SECRET", raw.NODE_ENV, dataDir),
  );

  let facilitator: Env["facilitator"];
  if (raw.FACILITATOR_URL) {
    const cdp =
      raw.CDP_API_KEY_ID && raw.CDP_API_KEY_SECRET
        ? { keyId: raw.CDP_API_KEY_ID, keySecret: raw.CDP_API_KEY_SECRET }
        : null;
    facilitator = { kind: "http", url: raw.FACILITATOR_URL.replace(/\/$/, ""), cdp };
  } else {
    const key = raw.RELAYER_PRIVATE_KEY ?? devnet?.accounts.find((a) => a.role === "relayer")?.privateKey;
    if (!key) {
      throw new EnvError(
        "Set FACILITATOR_URL (a hosted facilitator) or RELAYER_PRIVATE_KEY (in-process facilitator).",
      );
    }
    facilitator = {
      kind: "in-process",
      relayerPrivateKey: key as `0x${string}`,
      maxFeeGwei: raw.RELAYER_MAX_FEE_GWEI,
      walletFactories: [
        ...((raw.ERC6492_FACTORIES ?? []) as `0x${string}`[]),
        // The local stack's own factory, from its deployment.
        ...(devnet ? [devnet.walletFactory as `0x${string}`] : []),
      ],
    };
  }

  return {
    nodeEnv: raw.NODE_ENV,
    dataDir,
    publicUrl,
    database: raw.DATABASE_URL
      ? { kind: "postgres", url: raw.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    network,
    receiptSecrets,
    receiptSigning,
    sessionSecret,
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    cronSecret: raw.CRON_SECRET ?? null,
    serverless: raw.VERCEL === "1",
    facilitator,
    walletConnectProjectId: raw.WALLETCONNECT_PROJECT_ID ?? null,
    devnet,
  };
}

/** The file in the data folder that keeps a development secret (scripts/lib/stack.ts uses the same). */
export const DEV_SECRET_FILES = {
  RECEIPT_SECRET: "receipt-secret",
  SESSION_SECRET: "session-secret",
} as const;

/**
 * A real network in production takes real money: refuse to start with a local-only setting, each
 * refusal one line naming the variable. (The local network keeps working in production mode:
 * `npm start`, the e2e suite and the bench all run `next start` on the embedded stack.)
 */
function refuseUnsafeDeployment(raw: z.infer<typeof rawEnvSchema>): void {
  const on = `on ${raw.KIOSK_NETWORK} in production`;
  if (!raw.DATABASE_URL)
    throw new EnvError(
      `DATABASE_URL is required ${on}: the embedded PGlite is one process's local folder, not a database several instances can share.`,
    );
  if (!raw.PUBLIC_URL)
    throw new EnvError(
      `PUBLIC_URL is required ${on}: offers, receipts and sign-in name the site's origin, and request headers are the client's to choose.`,
    );
  if (!raw.PUBLIC_URL.startsWith("https://"))
    throw new EnvError(`PUBLIC_URL must be https:// ${on} (wallet sessions and receipts travel in cookies).`);
  if (!raw.RECEIPT_SECRET) throw new EnvError(`RECEIPT_SECRET is required ${on} (\`openssl rand -hex 32\`).`);
  if (!raw.SESSION_SECRET) throw new EnvError(`SESSION_SECRET is required ${on} (\`openssl rand -hex 32\`).`);
  if (!raw.RECEIPT_SIGNING_KEY)
    throw new EnvError(
      `RECEIPT_SIGNING_KEY is required ${on}: it signs the receipts buyers download (\`npm run receipt-key\` makes one).`,
    );
  if (
    raw.RELAYER_PRIVATE_KEY &&
    (ANVIL_KEYS as readonly string[]).includes(raw.RELAYER_PRIVATE_KEY.toLowerCase())
  )
    throw new EnvError(
      `RELAYER_PRIVATE_KEY is one of anvil's published test keys; anyone can drain it ${on}. Use a key of your own, or FACILITATOR_URL.`,
    );
  if (!raw.FACILITATOR_URL && !raw.RELAYER_PRIVATE_KEY)
    throw new EnvError(
      `Set FACILITATOR_URL (a hosted facilitator, recommended) or RELAYER_PRIVATE_KEY ${on}.`,
    );
}

/** Development only: a random secret made once and kept in .data/, so receipts and sessions survive restarts. */
function devSecret(name: keyof typeof DEV_SECRET_FILES, nodeEnv: string, dataDir: string): string {
  if (nodeEnv === "production") {
    throw new EnvError(
      `${name} is required in production (32+ random characters; \`openssl rand -hex 32\`).`,
    );
  }
  const file = path.join(dataDir, DEV_SECRET_FILES[name]);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

let cached: Env | null = null;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For rate limits that run before anything else is configured: no trusted proxy if env is broken. */
export function trustedProxyHops(): number {
  try {
    return env().trustedProxyHops;
  } catch {
    return 0;
  }
}
