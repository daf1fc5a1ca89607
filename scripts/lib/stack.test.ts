// The stack's preparation (chain, token, devnet.json, database) against a throwaway data dir,
// plus the small decisions scripts/stack.ts makes before starting Next.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../lib/db/client";
import { publishers } from "../../lib/db/schema";
import { readDevnet } from "../../lib/devnet/file";
import { freePort } from "../../lib/devnet/testing";
import { StackError } from "./stack-options";
import {
  isPortFree,
  prepareStack,
  receiptSecret,
  sessionSecret,
  staleBuildReason,
  wipeDataDir,
} from "./stack";

const scratch = mkdtempSync(path.join(tmpdir(), "helper-a-stack-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("prepareStack", () => {
  it("starts the chain, writes devnet.json, seeds the database, and reuses all of it on a second run", async () => {
    const dataDir = path.join(scratch, "data");
    const options = {
      mode: "dev" as const,
      port: 3000,
      anvilPort: await freePort(),
      dataDir,
      blockTime: undefined,
      fresh: true,
      databaseUrl: undefined,
    };
    const first = await prepareStack(options);
    try {
      expect(first.anvil.reused).toBe(false);
      expect(readDevnet(dataDir)).toEqual(first.devnet);
      expect(first.devnet.rpcUrl).toBe(`http://127.0.0.1:${options.anvilPort}`);
      expect(statSync(path.join(dataDir, "anvil.log")).isFile()).toBe(true);

      const second = await prepareStack({ ...options, fresh: false });
      expect(second.anvil.reused).toBe(true);
      expect(second.devnet).toEqual(first.devnet);

      // The database was closed again (PGlite allows one process), and the seed ran once.
      const db = await openDb({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
      try {
        const rows = await db.db.select().from(publishers);
        expect(rows.map((r) => r.wallet)).toEqual([first.devnet.payTo.toLowerCase()]);
      } finally {
        await db.close();
      }
    } finally {
      await first.anvil.stop();
    }
  });

  it("reports a port held by something else in one line", async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      await expect(
        prepareStack({
          mode: "dev",
          port: 3000,
          anvilPort: port,
          dataDir: path.join(scratch, "busy"),
          blockTime: undefined,
          fresh: false,
          databaseUrl: undefined,
        }),
      ).rejects.toThrow(
        new StackError(`port ${port} is in use by something that is not anvil; stop it or set ANVIL_PORT`),
      );
    } finally {
      server.close();
    }
  });
});

describe("isPortFree", () => {
  it("sees a listener", async () => {
    const port = await freePort();
    expect(await isPortFree(port)).toBe(true);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe("wipeDataDir", () => {
  it("deletes a dedicated folder", () => {
    const dir = path.join(scratch, "wipe-me");
    mkdirSync(path.join(dir, "pglite"), { recursive: true });
    wipeDataDir(dir, scratch);
    expect(() => statSync(dir)).toThrow();
  });

  it.each([
    ["the working directory", (cwd: string) => cwd],
    ["a parent of it", (cwd: string) => path.dirname(cwd)],
    ["the filesystem root", () => "/"],
    ["the home directory", () => homedir()],
  ])("refuses %s", (_label, pick) => {
    const cwd = path.join(scratch, "repo");
    expect(() => wipeDataDir(pick(cwd), cwd)).toThrow(/refusing to wipe/);
  });
});

describe("receiptSecret", () => {
  it("creates a 64-hex-char secret once and then keeps it", () => {
    const dir = path.join(scratch, "secret");
    mkdirSync(dir, { recursive: true });
    const secret = receiptSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(receiptSecret(dir)).toBe(secret);
    expect(readFileSync(path.join(dir, "receipt-secret"), "utf8")).toBe(`${secret}\n`);
  });

  it("keeps the session secret in a file of its own", () => {
    const dir = path.join(scratch, "session-secret");
    mkdirSync(dir, { recursive: true });
    const session = sessionSecret(dir);
    expect(session).toMatch(/^[0-9a-f]{64}$/);
    expect(session).not.toBe(receiptSecret(dir));
    expect(readFileSync(path.join(dir, "session-secret"), "utf8")).toBe(`${session}\n`);
  });
});

describe("staleBuildReason", () => {
  it("asks for a build when there is none, or when a source is newer than BUILD_ID", () => {
    const root = path.join(scratch, "app-root");
    mkdirSync(path.join(root, "app", "articles"), { recursive: true });
    mkdirSync(path.join(root, ".next"), { recursive: true });
    const page = path.join(root, "app", "articles", "page.tsx");
    writeFileSync(page, "export default function Page() { return null; }\n");
    expect(staleBuildReason(root)).toBe("no production build yet");

    const buildId = path.join(root, ".next", "BUILD_ID");
    writeFileSync(buildId, "abc");
    const past = new Date(Date.now() - 60_000);
    utimesSync(page, past, past);
    expect(staleBuildReason(root)).toBeNull();

    writeFileSync(path.join(root, "proxy.ts"), "export {};\n");
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, "proxy.ts"), future, future);
    expect(staleBuildReason(root)).toBe("proxy.ts changed since the last build");
  });
});
