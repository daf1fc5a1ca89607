// The stack's preparation (chain, token, devnet.json, database) against a throwaway data dir,
// plus the small decisions scripts/stack.ts makes before starting Next.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../lib/db/client";
import { publishers } from "../../lib/db/schema";
import { readDevnet } from "../../lib/devnet/file";
import { startAnvil } from "../../lib/devnet/anvil";
import { freePort } from "../../lib/devnet/testing";
import { makeDatabase } from "./stack-fixtures";
import { StackError } from "./stack-options";
import {
  inspectChainPort,
  isPortFree,
  markChain,
  prepareStack,
  receiptSecret,
  sessionSecret,
  staleBuildReason,
  wipeDataDir,
} from "./stack";

const scratch = mkdtempSync(path.join(tmpdir(), "helper-a-stack-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function stackOptions(dataDir: string) {
  return {
    mode: "dev" as const,
    port: 3000,
    anvilPort: 0,
    dataDir,
    blockTime: undefined,
    fresh: false,
    databaseUrl: undefined,
  };
}

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

  it("migrates a database that is only behind, keeping its rows, and says so", async () => {
    const dataDir = path.join(scratch, "behind");
    // As a checkout of five migrations ago left it, with a publisher of its own.
    await makeDatabase(path.join(dataDir, "pglite"), {
      rewrite: (entries) => entries.slice(0, entries.length - 2),
      fill: async (query) => {
        await query("insert into publishers (wallet, name, pay_to) values ('0xabc', 'Earlier', '0xabc')");
      },
    });
    const prepared = await prepareStack({ ...stackOptions(dataDir), anvilPort: await freePort() });
    try {
      expect(prepared.migrated).toBe(2);
      const db = await openDb({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
      try {
        expect(db.migrated).toBe(0);
        const rows = await db.db.select().from(publishers);
        expect(rows.map((r) => r.name)).toContain("Earlier");
      } finally {
        await db.close();
      }
    } finally {
      await prepared.anvil.stop();
    }
  });

  it("refuses a database migrated by a newer checkout, naming the commands, and starts no chain", async () => {
    const dataDir = path.join(scratch, "newer");
    await makeDatabase(path.join(dataDir, "pglite"), {
      extra: { "0099_from_the_future": 'CREATE TABLE "future_things" ("id" serial PRIMARY KEY);' },
    });
    const anvilPort = await freePort();
    const newest = (
      JSON.parse(readFileSync(path.resolve("drizzle/meta/_journal.json"), "utf8")) as {
        entries: { tag: string }[];
      }
    ).entries.at(-1)!.tag;
    await expect(prepareStack({ ...stackOptions(dataDir), anvilPort })).rejects.toThrow(
      new RegExp(
        `pglite cannot be migrated by this checkout: it was migrated by a newer Kiosk \\(a migration of .* UTC; this checkout's newest is ${newest} of .*\\); set it aside with \`mv .*newer .*newer\\.old\`, or delete it with \`npm run dev -- --fresh\`$`,
      ),
    );
    expect(await isPortFree(anvilPort)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(["pglite"]);
  });

  it("refuses tables made without migrations", async () => {
    const dataDir = path.join(scratch, "pushed");
    await makeDatabase(path.join(dataDir, "pglite"), {
      rewrite: () => [],
      fill: async (query) => {
        await query('create table "articles" ("id" serial primary key)');
      },
    });
    await expect(prepareStack({ ...stackOptions(dataDir), anvilPort: await freePort() })).rejects.toThrow(
      /it has 1 table\(s\) but no migration history/,
    );
  });

  it("removes a data dir it created when the start fails", async () => {
    const dataDir = path.join(scratch, "never-made");
    // Nothing listens there: the database cannot be opened, after the data dir was made.
    const databaseUrl = `postgres://kiosk@127.0.0.1:${await freePort()}/kiosk`;
    await expect(
      prepareStack({ ...stackOptions(dataDir), anvilPort: await freePort(), databaseUrl }),
    ).rejects.toThrow(/^could not open the database at DATABASE_URL: /);
    expect(existsSync(dataDir)).toBe(false);
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

describe("inspectChainPort", () => {
  it("names a chain of another id, and accepts this data dir's own anvil", async () => {
    const port = await freePort();
    const other = await startAnvil({ port, chainId: 1337 });
    try {
      await expect(inspectChainPort(port, scratch)).rejects.toThrow(
        new StackError(
          `port ${port} answers as a chain with id 1337, not Kiosk's local chain (31337); stop it or set ANVIL_PORT`,
        ),
      );
    } finally {
      await other.stop();
    }
    const ours = await startAnvil({ port: await freePort() });
    try {
      await markChain(ours.rpcUrl, scratch);
      expect(await inspectChainPort(Number(new URL(ours.rpcUrl).port), scratch)).toBe("ours");
    } finally {
      await ours.stop();
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

  it("sees a deleted page, instrumentation.ts, the contracts and the lockfile, and not a test file", () => {
    const root = path.join(scratch, "build-inputs");
    const dir = path.join(root, "app", "old-page");
    mkdirSync(dir, { recursive: true });
    mkdirSync(path.join(root, ".next"), { recursive: true });
    const files = [
      "instrumentation.ts",
      "contracts/artifacts.ts",
      "package-lock.json",
      "app/old-page/page.tsx",
    ];
    mkdirSync(path.join(root, "contracts"), { recursive: true });
    for (const f of files) writeFileSync(path.join(root, f), "x\n");
    writeFileSync(path.join(root, ".next", "BUILD_ID"), "abc");
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 60_000);
    const age = (p: string, when: Date) => utimesSync(path.join(root, p), when, when);
    for (const p of [...files, "app", "app/old-page", "contracts"]) age(p, past);
    expect(staleBuildReason(root)).toBeNull();

    writeFileSync(path.join(root, "app", "old-page", "page.test.ts"), "x\n");
    age("app/old-page/page.test.ts", future);
    age("app/old-page", past);
    expect(staleBuildReason(root)).toBeNull();

    unlinkSync(path.join(root, "app", "old-page", "page.tsx")); // the folder's time moves
    expect(staleBuildReason(root)).toBe(
      "a file was added to or removed from app/old-page/ since the last build",
    );
    age("app/old-page", past);

    for (const f of ["instrumentation.ts", "contracts/artifacts.ts", "package-lock.json"]) {
      age(f, future);
      expect(staleBuildReason(root)).toBe(`${f} changed since the last build`);
      age(f, past);
    }
  });
});
