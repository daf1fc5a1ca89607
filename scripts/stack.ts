// The local stack: `npm run dev` (tsx scripts/stack.ts dev) and `npm start` (… start).
// Checks first, writing nothing: the site's port, anvil's port (free, or this data dir's own
// chain). Then (start only) `next build` when the build is stale → the database's migration
// history checked, pending migrations applied → anvil → test USDC + Multicall3 →
// .data/devnet.json → seed → Next. A refusal is one line (`kiosk: …`, exit 1) and leaves no process behind. Ctrl-C, SIGTERM or
// Next exiting stops Next's process group, then anvil if this run started it.
// No top-level await: tsx runs this file as CommonJS (package.json has no "type": "module").
import path from "node:path";
import { spawnSupervised, type SupervisedProcess } from "../lib/devnet/anvil";
import { READER_STARTING_BALANCE } from "../lib/devnet/deploy";
import { StackError, parseStackOptions, type StackOptions } from "./lib/stack-options";
import {
  assertPortFree,
  inspectChainPort,
  prepareStack,
  receiptSecret,
  sessionSecret,
  staleBuildReason,
  type PreparedStack,
} from "./lib/stack";

const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
const NEXT_GRACE_MS = 5_000;

let stack: PreparedStack | null = null;
let current: SupervisedProcess | null = null;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    // Next first: it holds the database and talks to the chain.
    await current?.stop(NEXT_GRACE_MS);
    await stack?.anvil.stop();
  }
  process.exit(code);
}

function runNext(args: string[], options: StackOptions, extraEnv: Record<string, string>): SupervisedProcess {
  return spawnSupervised(process.execPath, [NEXT_BIN, ...args], {
    stdio: "inherit",
    name: "next-supervisor",
    env: {
      // The machines are offline; telemetry would only leave a detached flush process behind.
      NEXT_TELEMETRY_DISABLED: "1",
      ...process.env,
      ...extraEnv,
      KIOSK_DATA_DIR: options.dataDir,
      PORT: String(options.port),
    },
  });
}

function banner(options: StackOptions, prepared: PreparedStack): string {
  const { devnet, anvil } = prepared;
  const readers = devnet.accounts.filter((a) => a.role === "reader");
  const usdc = Number(READER_STARTING_BALANCE / 1_000_000n).toLocaleString("en-US");
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  return [
    "",
    `  Kiosk (${options.mode === "dev" ? "development" : "production build"})  http://127.0.0.1:${options.port}`,
    `  chain      ${anvil.rpcUrl}  chain id ${devnet.chainId}${anvil.reused ? "  (reused a running anvil)" : ""}`,
    `  USDC       ${devnet.usdc}  (test token, 6 decimals)`,
    `  devnet     ${rel(prepared.devnetFile)}  (addresses and private keys of every test account)`,
    `  database   ${prepared.database}${prepared.migrated ? `  (${prepared.migrated} pending migration(s) applied)` : ""}`,
    `  test USDC  ${usdc} each in the ${readers.length} reader accounts:`,
    ...readers.map((r) => `               ${r.address}`),
    `  publisher  ${devnet.payTo} receives payments; relayer ${devnet.facilitator} pays settlement gas`,
    `  ready in ${(prepared.millis / 1000).toFixed(1)} s; starting Next…`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  // Every way out goes through process.exit. Until Next runs, some waits hang only on unref'd
  // timers (a probe's AbortSignal.timeout); without this the process would end silently, exit 0.
  setInterval(() => {}, 60_000);
  const options = parseStackOptions(process.argv.slice(2), process.env);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void shutdown(signal === "SIGINT" ? 130 : 0));
  }

  // Refuse before spending a minute on a build or seconds on the chain and the database.
  await assertPortFree(options.port);
  await inspectChainPort(options.anvilPort, options.dataDir);
  if (options.mode === "start") {
    // The build needs neither the chain nor the database (every page is dynamic): a failed one
    // leaves nothing started and nothing written to the data dir.
    const reason = staleBuildReason();
    if (reason) {
      console.log(`\n  next build (${reason})…\n`);
      current = runNext(["build"], options, {});
      const code = await current.exited;
      current = null;
      if (shuttingDown) return;
      if (code !== 0) throw new StackError(`next build failed (exit ${code}); see the output above`);
    }
  }
  stack = await prepareStack(options);

  const env: Record<string, string> = {};
  if (options.mode === "start") {
    env.RECEIPT_SECRET = process.env.RECEIPT_SECRET || receiptSecret(options.dataDir);
    env.SESSION_SECRET = process.env.SESSION_SECRET || sessionSecret(options.dataDir);
  }

  // Checked again: the build can take a minute, and someone may have taken the port meanwhile.
  await assertPortFree(options.port);
  console.log(banner(options, stack));
  const nextArgs = options.mode === "dev" ? ["dev"] : ["start"];
  current = runNext([...nextArgs, "-H", "127.0.0.1", "-p", String(options.port)], options, env);
  const code = await current.exited;
  if (!shuttingDown) {
    console.error(`\n  Next exited (${code ?? "signal"}); stopping the stack.`);
    await shutdown(code ?? 1);
  }
}

main().catch(async (error: unknown) => {
  if (error instanceof StackError) console.error(`kiosk: ${error.message}`);
  else console.error(error);
  await shutdown(1);
});
