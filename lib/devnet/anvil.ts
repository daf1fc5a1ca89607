// Starts (or reuses) a local anvil chain for the dev stack and for integration tests. The binary
// comes from the @foundry-rs/anvil-<platform>-<arch> npm package, run directly: a wrapper
// (npx, the @foundry-rs/anvil shim) would leave the real server running when killed.
import { spawn, type StdioOptions } from "node:child_process";
import { createRequire } from "node:module";
import { createConnection } from "node:net";
import path from "node:path";

export type StartAnvilOptions = {
  port: number;
  host?: string;
  /** Seconds between blocks; omitted = a block per transaction (automine). */
  blockTime?: number;
  accounts?: number;
  chainId?: number;
  /** Where anvil's request log goes; omitted = discarded. */
  logFile?: string;
  /** A JSON file the chain is loaded from and saved to (anvil --state); omitted = a fresh chain. */
  statePath?: string;
};

export type AnvilHandle = {
  rpcUrl: string;
  /** True when a matching anvil already answered on the port; stop() then leaves it running. */
  reused: boolean;
  stop(): Promise<void>;
};

/** Anvil's default mnemonic, passed explicitly so the devnet keys never depend on a default. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

const READY_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;

export function anvilBinary(root = process.cwd()): string {
  // Foundry names x64 "amd64" in its per-platform packages.
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  const resolveFrom = createRequire(path.join(root, "package.json"));
  let pkgJson: string;
  try {
    pkgJson = resolveFrom.resolve(`${pkg}/package.json`);
  } catch {
    throw new Error(`anvil binary not found (${pkg} is not installed); run \`npm install\``);
  }
  return path.join(path.dirname(pkgJson), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

/** eth_chainId on the URL, or null when nothing answers JSON-RPC there. */
export async function probeChainId(rpcUrl: string, timeoutMs = 500): Promise<number | null> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { result?: unknown };
    return typeof body.result === "string" ? Number.parseInt(body.result, 16) : null;
  } catch {
    return null;
  }
}

function portAcceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(500);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(true); // something holds the port but does not speak; treat as taken
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startAnvil(options: StartAnvilOptions): Promise<AnvilHandle> {
  const { port, host = "127.0.0.1", blockTime, accounts = 20, chainId = 31337, logFile, statePath } = options;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    // The dev accounts' keys are public; the chain must never be reachable from the network.
    throw new Error(`anvil must listen on loopback, not ${host}`);
  }
  const rpcUrl = `http://${host === "::1" ? "[::1]" : host}:${port}`;

  const existing = await probeChainId(rpcUrl);
  if (existing === chainId) return { rpcUrl, reused: true, stop: async () => {} };
  if (existing !== null || (await portAcceptsConnections(host, port))) {
    throw new Error(`port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`);
  }

  const binary = anvilBinary();
  // prettier-ignore
  const args = [
    "--host", host,
    "--port", String(port),
    "--accounts", String(accounts),
    "--chain-id", String(chainId),
    "--mnemonic", ANVIL_MNEMONIC,
  ];
  if (blockTime !== undefined) args.push("--block-time", String(blockTime));
  // Keep the chain across restarts, like the database beside it: loaded at start, written on exit
  // and every few seconds (so even a kill -9 loses at most that much).
  if (statePath) args.push("--state", statePath, "--state-interval", "5");

  const child = spawnSupervised(binary, args, {
    stdio: ["ignore", "ignore", "pipe"],
    stdoutFile: logFile,
    name: "anvil-supervisor",
  });
  const stop = () => child.stop(KILL_GRACE_MS);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const answered = await probeChainId(rpcUrl, 250);
    if (answered === chainId) break;
    const lastLine = child.stderrTail().trim().split("\n").pop() ?? "";
    if (child.hasExited()) {
      await stop();
      throw new Error(`anvil exited before it was ready${lastLine ? `: ${lastLine}` : ""}`);
    }
    if (answered !== null) {
      await stop();
      throw new Error(`port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `anvil did not answer on ${rpcUrl} within ${READY_TIMEOUT_MS / 1000} s${lastLine ? `: ${lastLine}` : ""}`,
      );
    }
    await sleep(50);
  }
  child.unref();
  return { rpcUrl, reused: false, stop };
}

export type SupervisedProcess = {
  /** The process group id (the supervisor's pid). */
  pgid: number;
  /** Resolves with the supervised command's exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** The last ~2 kB of stderr, when stderr is piped. */
  stderrTail(): string;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once no process is left. */
  stop(graceMs?: number): Promise<void>;
  /** Lets the parent's event loop end while the process runs (the exit hook still stops it). */
  unref(): void;
};

/**
 * Runs `command` in its own process group under a tiny shell supervisor, which kills it as soon
 * as this Node process is gone. Node cannot ask the kernel for that (no PR_SET_PDEATHSIG), and
 * "exit" handlers do not run on SIGKILL or an unhandled signal, so without the supervisor a
 * crashed `npm run dev` or test worker would leave anvil or Next holding their ports. The own
 * group keeps Ctrl-C (sent to the terminal's foreground group) from reaching the child directly,
 * so the parent decides the shutdown order. Shared with scripts/stack.ts for the Next server.
 * POSIX only (/bin/sh).
 */
export function spawnSupervised(
  command: string,
  args: readonly string[],
  options: {
    stdio: StdioOptions;
    /** Append the command's stdout to this file instead of the stdio setting. */
    stdoutFile?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Shows up in `ps` as the supervisor's $0. */
    name?: string;
  },
): SupervisedProcess {
  const supervisor = [
    'parent="$1"; shift',
    'out="$1"; shift',
    'if [ -n "$out" ]; then "$@" >>"$out" & else "$@" & fi',
    "child=$!",
    // The child keeps the real stderr; the shell's own "Terminated" notices go nowhere.
    "exec 2>/dev/null",
    "trap 'kill $child; wait $child; exit' TERM INT HUP",
    'while kill -0 "$parent" && kill -0 "$child"; do sleep 0.5; done',
    'kill "$child"',
    'wait "$child"',
  ].join("\n");
  const child = spawn(
    "/bin/sh",
    [
      "-c",
      supervisor,
      options.name ?? "supervisor",
      String(process.pid),
      options.stdoutFile ?? "",
      command,
      ...args,
    ],
    { detached: true, stdio: options.stdio, env: options.env, cwd: options.cwd },
  );
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start ${path.basename(command)} (spawn failed)`);

  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-2_000);
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      done = true;
      resolve(code);
    });
  });

  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // the group is already gone
    }
  };
  // A normal exit of the parent takes the group along at once; the supervisor covers the rest.
  const onExit = (): void => killGroup("SIGTERM");
  process.on("exit", onExit);

  let stopping: Promise<void> | null = null;
  return {
    pgid,
    exited,
    hasExited: () => done,
    stderrTail: () => tail,
    stop(graceMs = KILL_GRACE_MS) {
      stopping ??= (async () => {
        killGroup("SIGTERM");
        const deadline = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await sleep(25);
        if (groupAlive(pgid)) killGroup("SIGKILL");
        while (groupAlive(pgid)) await sleep(10);
        process.off("exit", onExit);
      })();
      return stopping;
    },
    unref() {
      child.unref();
      (child.stderr as { unref?: () => void } | null)?.unref?.();
    },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
