// `npm run dev` / `npm start` refusing to start, run for real: the script is spawned as the user
// runs it, against a real held port, a real second anvil, a real database from elsewhere. Each
// refusal must be one line on stderr, exit 1, leave the data dir as it was, and leave no process
// behind. Every process the script starts inherits KIOSK_STACK_TEST=<tag> from its environment;
// after the script exits, no process on the machine may still carry that tag.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { probeChainId, startAnvil, type AnvilHandle } from "../lib/devnet/anvil";
import { freePort } from "../lib/devnet/testing";
import { markChain } from "./lib/stack";
import { makeDatabase, ORIGINAL_INIT_MILLIS } from "./lib/stack-fixtures";

const scratch = mkdtempSync(path.join(tmpdir(), "kiosk-stack-script-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The pids of processes whose environment carries the tag (Linux: /proc/<pid>/environ). */
function processesTagged(tag: string): number[] {
  const needle = `KIOSK_STACK_TEST=${tag}`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "latin1").split("\0");
      if (environ.includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

type Run = { code: number | null; stdout: string; stderr: string; survivors: number[] };

/** Runs `tsx scripts/stack.ts <mode>` in its own process group; kills the group if it hangs. */
async function runStack(
  mode: "dev" | "start",
  env: Record<string, string>,
  args: string[] = [],
): Promise<Run> {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/stack.ts", mode, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, KIOSK_STACK_TEST: tag },
  });
  const killTagged = () => {
    for (const pid of processesTagged(tag)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  cleanups.push(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // the group is gone
    }
    killTagged();
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  // A supervisor notices its parent is gone within half a second: give it a second, then wait
  // for the tagged processes to go (up to ten more on a loaded machine) and report any left.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  let survivors = processesTagged(tag);
  for (const until = Date.now() + 10_000; survivors.length > 0 && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    survivors = processesTagged(tag);
  }
  return { code, stdout, stderr, survivors };
}

async function hold(port: number): Promise<Server> {
  // Sockets are tracked and destroyed on cleanup: close() alone waits for every connection to
  // end, and a probe that was cut off mid-handshake can leave one half-open for a long time.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return server;
}

async function anvilOn(port: number): Promise<AnvilHandle> {
  const anvil = await startAnvil({ port });
  cleanups.push(() => anvil.stop());
  return anvil;
}

async function ports() {
  return { PORT: String(await freePort()), ANVIL_PORT: String(await freePort()) };
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "");
}

// Each case starts the real script under tsx (a cold compile): generous time on a loaded machine.
describe("npm run dev / npm start refuse in one line and leave nothing behind", { timeout: 120_000 }, () => {
  it("the site's port is busy", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "site-port") };
    await hold(Number(env.PORT));
    const run = await runStack("dev", env);
    expect(lines(run.stderr)).toEqual([
      `kiosk: port ${env.PORT} is in use; stop the other server or set PORT`,
    ]);
    expect(run.code).toBe(1);
    expect(run.survivors).toEqual([]);
    expect(existsSync(env.KIOSK_DATA_DIR)).toBe(false);
    expect(await probeChainId(`http://127.0.0.1:${env.ANVIL_PORT}`)).toBeNull();
  });

  it("anvil's port is busy with something that is not a chain", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "anvil-port") };
    await hold(Number(env.ANVIL_PORT));
    const run = await runStack("start", env);
    expect(lines(run.stderr)).toEqual([
      `kiosk: port ${env.ANVIL_PORT} is in use by something that is not anvil; stop it or set ANVIL_PORT`,
    ]);
    expect(run.code).toBe(1);
    expect(run.survivors).toEqual([]);
    expect(existsSync(env.KIOSK_DATA_DIR)).toBe(false);
  });

  it("--fresh wipes nothing when anvil's port is busy", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "keep-me") };
    mkdirSync(env.KIOSK_DATA_DIR, { recursive: true });
    writeFileSync(path.join(env.KIOSK_DATA_DIR, "devnet.json"), "{}\n");
    await hold(Number(env.ANVIL_PORT));
    const run = await runStack("dev", env, ["--fresh"]);
    expect(lines(run.stderr)).toEqual([
      `kiosk: port ${env.ANVIL_PORT} is in use by something that is not anvil; stop it or set ANVIL_PORT`,
    ]);
    expect(run.survivors).toEqual([]);
    expect(readdirSync(env.KIOSK_DATA_DIR)).toEqual(["devnet.json"]);
  });

  it("anvil's port is held by the anvil of another checkout", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "mine") };
    const other = await anvilOn(Number(env.ANVIL_PORT));
    const otherDataDir = path.join(scratch, "other-checkout", ".data");
    await markChain(other.rpcUrl, otherDataDir); // what the other checkout's stack did on start
    mkdirSync(env.KIOSK_DATA_DIR, { recursive: true });
    const run = await runStack("dev", env);
    expect(lines(run.stderr)).toEqual([
      `kiosk: port ${env.ANVIL_PORT} is held by the anvil of another Kiosk stack (data in ${otherDataDir}); stop that stack or set ANVIL_PORT`,
    ]);
    expect(run.code).toBe(1);
    expect(run.survivors).toEqual([]);
    expect(readdirSync(env.KIOSK_DATA_DIR)).toEqual([]);
    // The other checkout's chain is not ours to stop.
    expect(await probeChainId(other.rpcUrl)).toBe(31337);
  });

  it("anvil's port is held by an anvil no stack of this data dir started", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "hand-run") };
    const handRun = await anvilOn(Number(env.ANVIL_PORT));
    const run = await runStack("dev", env);
    expect(lines(run.stderr)).toEqual([
      `kiosk: port ${env.ANVIL_PORT} is held by an anvil that no Kiosk stack of this data dir started (run by hand, or by an older checkout); stop it or set ANVIL_PORT`,
    ]);
    expect(run.code).toBe(1);
    expect(run.survivors).toEqual([]);
    expect(existsSync(env.KIOSK_DATA_DIR)).toBe(false);
    expect(await probeChainId(handRun.rpcUrl)).toBe(31337);
  });

  it("the data dir holds a database from another version of Kiosk", async () => {
    const env = { ...(await ports()), KIOSK_DATA_DIR: path.join(scratch, "old-data") };
    // A database made before the first migration was regenerated: its 0000_init has another date.
    await makeDatabase(path.join(env.KIOSK_DATA_DIR, "pglite"), {
      rewrite: (entries) => entries.slice(0, 1).map((e) => ({ ...e, when: ORIGINAL_INIT_MILLIS })),
    });
    const before = readdirSync(env.KIOSK_DATA_DIR).sort();
    const run = await runStack("dev", env);
    const rel = path.relative(process.cwd(), env.KIOSK_DATA_DIR);
    expect(lines(run.stderr)).toEqual([
      `kiosk: ${path.join(rel, "pglite")} cannot be migrated by this checkout: it has a migration of 2026-11-24 21:05 UTC that this checkout does not know (made by another version of Kiosk); set it aside with \`mv ${rel} ${rel}.old\`, or delete it with \`npm run dev -- --fresh\``,
    ]);
    expect(run.code).toBe(1);
    expect(run.survivors).toEqual([]);
    // Nothing was written beside it: no chain was started, no devnet.json.
    expect(readdirSync(env.KIOSK_DATA_DIR).sort()).toEqual(before);
    expect(await probeChainId(`http://127.0.0.1:${env.ANVIL_PORT}`)).toBeNull();
  });
});
