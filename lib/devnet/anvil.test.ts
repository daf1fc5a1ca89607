// startAnvil's contract with the stack runner: reuse a matching chain, refuse a foreign port,
// and never leave an anvil behind (stop(), or the parent dying without calling it).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anvilBinary, probeChainId, startAnvil } from "./anvil";
import { freePort } from "./testing";

function listen(server: Server | ReturnType<typeof createHttpServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe("startAnvil", () => {
  it("starts a loopback chain, reuses it on a second call, and stops it", async () => {
    const port = await freePort();
    const first = await startAnvil({ port });
    try {
      expect(first).toMatchObject({ rpcUrl: `http://127.0.0.1:${port}`, reused: false });
      expect(await probeChainId(first.rpcUrl)).toBe(31337);

      const second = await startAnvil({ port });
      expect(second.reused).toBe(true);
      await second.stop(); // a reused chain belongs to someone else: stop() must leave it running
      expect(await probeChainId(first.rpcUrl)).toBe(31337);
    } finally {
      await first.stop();
    }
    expect(await probeChainId(first.rpcUrl)).toBeNull();
  });

  it("does not reuse a chain with another chain id", async () => {
    const port = await freePort();
    const other = await startAnvil({ port, chainId: 1337 });
    try {
      await expect(startAnvil({ port })).rejects.toThrow(
        `port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`,
      );
    } finally {
      await other.stop();
    }
  });

  it("refuses a port held by a plain TCP listener", async () => {
    const port = await freePort();
    const server = createServer((socket) => socket.destroy());
    await listen(server, port);
    try {
      await expect(startAnvil({ port })).rejects.toThrow(
        `port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`,
      );
    } finally {
      server.close();
    }
  });

  it("refuses a port held by a web server", async () => {
    const port = await freePort();
    const server = createHttpServer((_req, res) => res.end("<html>hello</html>"));
    await listen(server, port);
    try {
      await expect(startAnvil({ port })).rejects.toThrow(/is in use by something that is not anvil/);
    } finally {
      server.close();
    }
  });

  it("refuses a non-loopback host", async () => {
    await expect(startAnvil({ port: 1, host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });

  it("explains a missing binary in one line", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "helper-a-no-anvil-"));
    try {
      expect(() => anvilBinary(empty)).toThrow(/^anvil binary not found .*run `npm install`$/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it("takes the chain down when the process that started it is killed with SIGKILL", async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), "helper-a-orphan-"));
    const script = path.join(dir, "start.mts");
    writeFileSync(
      script,
      `import { startAnvil } from ${JSON.stringify(path.resolve("lib/devnet/anvil.ts"))};\n` +
        `await startAnvil({ port: ${port} });\nconsole.log("ready");\nsetInterval(() => {}, 1000);\n`,
    );
    const parent = spawn(process.execPath, ["--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        parent.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
        parent.once("exit", (code) => reject(new Error(`helper exited early (${code})`)));
      });
      expect(await probeChainId(`http://127.0.0.1:${port}`)).toBe(31337);
      parent.kill("SIGKILL");
      const gone = await waitFor(
        async () => (await probeChainId(`http://127.0.0.1:${port}`)) === null,
        3_000,
      );
      expect(gone).toBe(true);
    } finally {
      parent.kill("SIGKILL");
      rmSync(dir, { recursive: true });
    }
  });
});
