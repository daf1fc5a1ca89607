// The local stack's address book: `.data/devnet.json`, written by scripts/stack.ts after anvil is
// up and the test USDC is deployed; read by the server (env), tests and the benchmark.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte address");
const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte private key");

export const devnetAccountSchema = z.object({
  role: z.enum(["deployer", "publisher", "relayer", "reader", "unfunded"]),
  address: hexAddress,
  privateKey: hexKey,
});

export const devnetSchema = z.object({
  rpcUrl: z.string().url(),
  chainId: z.number().int().positive(),
  usdc: hexAddress,
  payTo: hexAddress,
  /** The in-process facilitator's relayer address (pays gas for settlements). */
  facilitator: hexAddress,
  multicall: hexAddress,
  /** The counterfactual smart-wallet factory (ERC-6492) the local facilitator may call. */
  walletFactory: hexAddress,
  accounts: z.array(devnetAccountSchema).min(1),
});

export type Devnet = z.infer<typeof devnetSchema>;
export type DevnetAccount = z.infer<typeof devnetAccountSchema>;

export function devnetPath(dataDir: string): string {
  return path.join(dataDir, "devnet.json");
}

export function readDevnet(dataDir: string): Devnet | null {
  let raw: string;
  try {
    raw = readFileSync(devnetPath(dataDir), "utf8");
  } catch {
    return null;
  }
  const parsed = devnetSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`${devnetPath(dataDir)} is not a valid devnet file: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

export function writeDevnet(dataDir: string, devnet: Devnet): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(devnetPath(dataDir), JSON.stringify(devnetSchema.parse(devnet), null, 2) + "\n");
}

/** The accounts that the well-known anvil mnemonic derives, by role. Index into `anvilKeys`. */
export function accountByRole(devnet: Devnet, role: DevnetAccount["role"]): DevnetAccount {
  const account = devnet.accounts.find((a) => a.role === role);
  if (!account) throw new Error(`devnet has no ${role} account`);
  return account;
}
