// The parts of the local stack that come before Next: data dir, chain, token, devnet.json,
// database. Kept apart from scripts/stack.ts (which owns the Next process and signals) so a
// test can run them against a throwaway data dir.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { createPublicClient, createTestClient, hexToString, http, stringToHex, type Address } from "viem";
import { openDb, SchemaMismatchError, type DbHandle } from "../../lib/db/client";
import { seed } from "../../lib/db/seed";
import { probeChainId, startAnvil, type AnvilHandle } from "../../lib/devnet/anvil";
import { deployDevnet } from "../../lib/devnet/deploy";
import { devnetPath, writeDevnet, type Devnet } from "../../lib/devnet/file";
import { StackError, type StackOptions } from "./stack-options";

export type PreparedStack = {
  devnet: Devnet;
  anvil: AnvilHandle;
  devnetFile: string;
  database: string;
  /** Migrations applied to an existing database on the way (0 for a new or current one). */
  migrated: number;
  millis: number;
};

/** Resolves true when nothing listens on host:port (the same bind Next will attempt). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function assertPortFree(port: number): Promise<void> {
  if (!(await isPortFree(port)))
    throw new StackError(`port ${port} is in use; stop the other server or set PORT`);
}

/** --fresh deletes a folder recursively: refuse anything that could hold more than Kiosk's data. */
export function wipeDataDir(dataDir: string, cwd = process.cwd()): void {
  const target = path.resolve(dataDir);
  const fromTarget = path.relative(target, path.resolve(cwd));
  const holdsCwd = fromTarget === "" || (!fromTarget.startsWith("..") && !path.isAbsolute(fromTarget));
  if (target === path.parse(target).root || target === path.resolve(homedir()) || holdsCwd) {
    throw new StackError(
      `refusing to wipe ${target} for --fresh; point KIOSK_DATA_DIR at a dedicated folder`,
    );
  }
  rmSync(target, { recursive: true, force: true });
}

/** The receipt-signing secret `next start` requires, made once per data dir (same file lib/env.ts uses in dev). */
export function receiptSecret(dataDir: string): string {
  return localSecret(dataDir, "receipt-secret");
}

/** The studio session secret `next start` requires, made once per data dir (same file lib/env.ts uses in dev). */
export function sessionSecret(dataDir: string): string {
  return localSecret(dataDir, "session-secret");
}

function localSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  }
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

/** What `next build` compiles into .next (tests and e2e specs are type-checked, not built). */
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "contracts",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
];

/**
 * Why `next start` needs a `next build` first, or null when .next/BUILD_ID is newer than every
 * input. A folder's own time counts too: deleting or renaming a page changes only its folder.
 */
export function staleBuildReason(root = process.cwd()): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (p: string): string | null => {
    if (!existsSync(p)) return null;
    const stat = statSync(p);
    if (stat.isFile()) return stat.mtimeMs > builtAt ? `${path.relative(root, p)} changed` : null;
    if (stat.mtimeMs > builtAt) return `a file was added to or removed from ${path.relative(root, p)}/`;
    for (const entry of readdirSync(p)) {
      if (entry.startsWith(".") || entry === "node_modules" || /\.test\.tsx?$/.test(entry)) continue;
      const found = newer(path.join(p, entry));
      if (found) return found;
    }
    return null;
  };
  for (const input of BUILD_INPUTS) {
    const changed = newer(path.join(root, input));
    if (changed) return `${changed} since the last build`;
  }
  return null;
}

function firstLine(error: unknown): string {
  const e = error as { shortMessage?: unknown; message?: unknown };
  const text =
    typeof e?.shortMessage === "string"
      ? e.shortMessage
      : typeof e?.message === "string"
        ? e.message
        : String(error);
  return text.split("\n")[0] ?? text;
}

/**
 * Where the stack leaves its name on the chain it starts: code at an address nobody uses, holding
 * `kiosk-stack:<absolute data dir>`. Saved with the chain's state, so it survives restarts.
 */
export const CHAIN_MARKER_ADDRESS: Address = "0x4b696f736b00000000000000000000006d61726b";
const MARKER_PREFIX = "kiosk-stack:";

/** The data dir named by the marker of the chain at rpcUrl, or null when it carries none. */
export async function chainOwner(rpcUrl: string): Promise<string | null> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 2_000 }) });
  const code = await client.getCode({ address: CHAIN_MARKER_ADDRESS });
  if (!code || code === "0x") return null;
  const text = hexToString(code);
  return text.startsWith(MARKER_PREFIX) ? text.slice(MARKER_PREFIX.length) : null;
}

export async function markChain(rpcUrl: string, dataDir: string): Promise<void> {
  const client = createTestClient({ mode: "anvil", transport: http(rpcUrl, { retryCount: 0 }) });
  await client.setCode({ address: CHAIN_MARKER_ADDRESS, bytecode: stringToHex(MARKER_PREFIX + dataDir) });
}

const LOCAL_CHAIN_ID = 31337;

/**
 * What holds anvil's port, read without starting or writing anything: "free", or "ours" (the
 * anvil of this data dir, e.g. a second stack on Postgres sharing it). Anything else is refused:
 * a chain this data dir did not make (another checkout's, one run by hand) does not hold the
 * payments, relayer nonces and balances its database refers to.
 */
export async function inspectChainPort(port: number, dataDir: string): Promise<"free" | "ours"> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  const chainId = await probeChainId(rpcUrl);
  if (chainId === null) {
    if (await isPortFree(port)) return "free";
    throw new StackError(`port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`);
  }
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new StackError(
      `port ${port} answers as a chain with id ${chainId}, not Kiosk's local chain (${LOCAL_CHAIN_ID}); stop it or set ANVIL_PORT`,
    );
  }
  let owner: string | null;
  try {
    owner = await chainOwner(rpcUrl);
  } catch (error) {
    throw new StackError(`the chain on port ${port} did not answer: ${firstLine(error)}`);
  }
  if (owner === dataDir) return "ours";
  throw new StackError(
    owner
      ? `port ${port} is held by the anvil of another Kiosk stack (data in ${owner}); stop that stack or set ANVIL_PORT`
      : `port ${port} is held by an anvil that no Kiosk stack of this data dir started (run by hand, or by an older checkout); stop it or set ANVIL_PORT`,
  );
}

/** The command that starts this mode afresh, for messages. */
function freshCommand(options: StackOptions): string {
  return options.mode === "dev" ? "npm run dev -- --fresh" : "npm start -- --fresh";
}

async function openStackDb(options: StackOptions): Promise<DbHandle> {
  const dir = path.join(options.dataDir, "pglite");
  try {
    return options.databaseUrl
      ? await openDb({ kind: "postgres", url: options.databaseUrl })
      : await openDb({ kind: "pglite", dataDir: dir });
  } catch (error) {
    const where = options.databaseUrl
      ? "the database at DATABASE_URL"
      : path.relative(process.cwd(), dir) || dir;
    if (error instanceof SchemaMismatchError) {
      throw new StackError(
        options.databaseUrl
          ? `${where} cannot be migrated by this checkout: ${error.message}; point DATABASE_URL at another database`
          : `${where} cannot be migrated by this checkout: ${error.message}; set it aside with \`mv ${path.relative(process.cwd(), options.dataDir) || options.dataDir} ${path.relative(process.cwd(), options.dataDir) || options.dataDir}.old\`, or delete it with \`${freshCommand(options)}\``,
      );
    }
    throw new StackError(`could not open ${where}: ${firstLine(error)}`);
  }
}

/**
 * Everything before Next. Order matters: first the checks that write nothing (anvil's port, the
 * database's migration history), then --fresh's wipe, then the chain and the seed. A refusal
 * leaves the data dir as it was, and a data dir this run created is removed again.
 */
export async function prepareStack(options: StackOptions): Promise<PreparedStack> {
  const started = performance.now();
  await inspectChainPort(options.anvilPort, options.dataDir);
  if (options.fresh) wipeDataDir(options.dataDir);
  const createdDataDir = !existsSync(options.dataDir);

  let db = null as DbHandle | null;
  let anvil = null as AnvilHandle | null;
  try {
    mkdirSync(options.dataDir, { recursive: true });
    // Migrates a database that is only behind (one transaction), refuses one from elsewhere.
    db = await openStackDb(options);
    try {
      anvil = await startAnvil({
        port: options.anvilPort,
        blockTime: options.blockTime,
        logFile: path.join(options.dataDir, "anvil.log"),
        // The chain lives as long as the database: balances and sales stay consistent across restarts.
        statePath: path.join(options.dataDir, "anvil-state.json"),
      });
    } catch (error) {
      throw new StackError(firstLine(error));
    }
    // Something may have taken the port since the inspection; only this data dir's chain will do.
    if (anvil.reused) await inspectChainPort(options.anvilPort, options.dataDir);
    else await markChain(anvil.rpcUrl, options.dataDir);

    let devnet: Devnet;
    try {
      devnet = await deployDevnet(anvil.rpcUrl);
    } catch (error) {
      throw new StackError(`could not deploy the test USDC on ${anvil.rpcUrl}: ${firstLine(error)}`);
    }
    writeDevnet(options.dataDir, devnet);
    await seed(db.db, devnet);

    return {
      devnet,
      anvil,
      devnetFile: devnetPath(options.dataDir),
      database: options.databaseUrl
        ? "Postgres (DATABASE_URL)"
        : `PGlite in ${path.join(options.dataDir, "pglite")}`,
      migrated: db.migrated ?? 0,
      millis: Math.round(performance.now() - started),
    };
  } catch (error) {
    await db?.close();
    db = null;
    await anvil?.stop();
    if (createdDataDir) rmSync(options.dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    // PGlite admits one process per folder: the Next server opens it next.
    await db?.close();
  }
}
