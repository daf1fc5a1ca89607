// A throwaway PostgreSQL server for tests: initdb into a temp folder, listen on a free loopback
// port, stop and delete on stop(). Uses Debian's postgresql package (installed by .ci/run);
// Postgres refuses to run as root, so as root the server runs as the `postgres` user.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../devnet/testing";

export type TestPostgres = { url: string; stop(): Promise<void> };

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions)
    if (existsSync(path.join(root, v, "bin", "initdb"))) return path.join(root, v, "bin");
  // Elsewhere (Homebrew, other distributions) the server binaries are on the PATH.
  for (const dir of (process.env.PATH ?? "").split(path.delimiter))
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "postgres"))) return dir;
  throw new Error(
    "PostgreSQL is not installed: `bash scripts/system-deps.sh` says how (the tests run it on a private port).",
  );
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "kiosk-pg-"));
  chmodSync(dir, 0o777);
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" })
      : execFileSync(cmd, args, { stdio: "pipe" });
  const data = path.join(dir, "data");
  run(path.join(bin, "initdb"), ["-D", data, "-U", "kiosk", "-A", "trust", "--no-sync"]);
  const port = await freePort();
  const server = spawn(
    asRoot ? "runuser" : path.join(bin, "postgres"),
    [
      ...(asRoot ? ["-u", "postgres", "--", path.join(bin, "postgres")] : []),
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
    ],
    { stdio: "ignore", detached: true },
  );
  const url = `postgres://kiosk@127.0.0.1:${port}/postgres`;
  const { Client } = await import("pg");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`test postgres did not start: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      try {
        process.kill(-server.pid!, "SIGINT"); // fast shutdown
      } catch {
        /* gone */
      }
      await new Promise((r) => setTimeout(r, 300));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
