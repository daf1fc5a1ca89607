// Reads scripts/stack.ts's command line and environment into one checked object, so a typo in
// PORT fails in one line before anything starts.
import path from "node:path";

export type StackMode = "dev" | "start";

export type StackOptions = {
  mode: StackMode;
  /** The Next server's port (PORT, default 3000). */
  port: number;
  /** anvil's port (ANVIL_PORT, default 8545). */
  anvilPort: number;
  /** Absolute path of KIOSK_DATA_DIR (default .data). */
  dataDir: string;
  /** Seconds between blocks (--block-time N or ANVIL_BLOCK_TIME); undefined = automine. */
  blockTime: number | undefined;
  /** Wipe the data dir first (--fresh). */
  fresh: boolean;
  databaseUrl: string | undefined;
};

/** A problem the user can fix; printed as one line, without a stack. */
export class StackError extends Error {}

export const USAGE = "usage: tsx scripts/stack.ts <dev|start> [--fresh] [--block-time N]";

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StackError(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

function parseBlockTime(source: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StackError(`${source} must be a positive number of seconds, got "${raw}"`);
  }
  return seconds;
}

export function parseStackOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): StackOptions {
  const [mode, ...rest] = argv;
  if (mode !== "dev" && mode !== "start") throw new StackError(USAGE);

  let fresh = false;
  let blockTimeFlag: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--fresh") fresh = true;
    else if (arg === "--block-time") {
      blockTimeFlag = rest[++i];
      if (blockTimeFlag === undefined) throw new StackError("--block-time needs a number of seconds");
    } else if (arg?.startsWith("--block-time=")) blockTimeFlag = arg.slice("--block-time=".length);
    else throw new StackError(`unknown argument "${arg}"; ${USAGE}`);
  }

  return {
    mode,
    port: parsePort("PORT", env.PORT, 3000),
    anvilPort: parsePort("ANVIL_PORT", env.ANVIL_PORT, 8545),
    dataDir: path.resolve(cwd, env.KIOSK_DATA_DIR || ".data"),
    // The flag wins over the environment: it is the more deliberate of the two.
    blockTime:
      blockTimeFlag !== undefined
        ? parseBlockTime("--block-time", blockTimeFlag)
        : parseBlockTime("ANVIL_BLOCK_TIME", env.ANVIL_BLOCK_TIME),
    fresh,
    databaseUrl: env.DATABASE_URL || undefined,
  };
}
