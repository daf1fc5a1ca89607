// The parts of the local stack that come before Next: data dir, chain, token, devnet.json,
// database. Kept apart from scripts/stack.ts (which owns the Next process and signals) so a
// test can run them against a throwaway data dir.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { openDb } from "../../lib/db/client";
import { seed } from "../../lib/db/seed";
import { startAnvil, type AnvilHandle } from "../../lib/devnet/anvil";
import { deployDevnet } from "../../lib/devnet/deploy";
import { devnetPath, writeDevnet, type Devnet } from "../../lib/devnet/file";
import { StackError, type StackOptions } from "./stack-options";

export type PreparedStack = {
  devnet: Devnet;
  anvil: AnvilHandle;
  devnetFile: string;
  database: string;
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

/** Why `next start` needs a `next build` first, or null when .next/BUILD_ID is newer than every input. */
export function staleBuildReason(root = process.cwd()): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (p: string): string | null => {
    if (!existsSync(p)) return null;
    const stat = statSync(p);
    if (stat.isFile()) return stat.mtimeMs > builtAt ? p : null;
    for (const entry of readdirSync(p)) {
      if (entry.startsWith(".") || entry === "node_modules") continue;
      const found = newer(path.join(p, entry));
      if (found) return found;
    }
    return null;
  };
  for (const input of ["app", "components", "lib", "proxy.ts", "next.config.ts"]) {
    const changed = newer(path.join(root, input));
    if (changed) return `${path.relative(root, changed)} changed since the last build`;
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

export async function prepareStack(options: StackOptions): Promise<PreparedStack> {
  const started = performance.now();
  if (options.fresh) wipeDataDir(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });

  let anvil: AnvilHandle;
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

  try {
    let devnet: Devnet;
    try {
      devnet = await deployDevnet(anvil.rpcUrl);
    } catch (error) {
      throw new StackError(`could not deploy the test USDC on ${anvil.rpcUrl}: ${firstLine(error)}`);
    }
    writeDevnet(options.dataDir, devnet);

    const db = options.databaseUrl
      ? await openDb({ kind: "postgres", url: options.databaseUrl })
      : await openDb({ kind: "pglite", dataDir: path.join(options.dataDir, "pglite") });
    try {
      await seed(db.db, devnet);
    } finally {
      // PGlite admits one process per folder: the Next server opens it next.
      await db.close();
    }

    return {
      devnet,
      anvil,
      devnetFile: devnetPath(options.dataDir),
      database: options.databaseUrl
        ? "Postgres (DATABASE_URL)"
        : `PGlite in ${path.join(options.dataDir, "pglite")}`,
      millis: Math.round(performance.now() - started),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
