// A production server without a receipt secret must not start at all: it exits at boot naming
// the variable, instead of listening and answering every paid request with a 500. Runs the same
// build the suite's server runs, on a port of its own, with the suite's devnet.
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR, E2E_PORT, REPO_ROOT } from "./fixtures/stack";

test("next start in production without RECEIPT_SECRET exits non-zero at boot, naming the variable", async () => {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production" };
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("RECEIPT_")) env[k] = v;
  Object.assign(env, { NODE_ENV: "production", KIOSK_DATA_DIR: E2E_DATA_DIR });
  const port = String(E2E_PORT + 50);
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", port],
    { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      // Still running: the refusal did not happen. Stop the whole group (next start forks).
      process.kill(-child.pid!, "SIGKILL");
      resolve(null);
    }, 45_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code, output).not.toBeNull();
  expect(code).not.toBe(0);
  expect(output).toContain("RECEIPT_SECRET is required in production");
  // Nothing is left listening on the port.
  await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
});
