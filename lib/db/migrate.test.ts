// Migrations as a deploy step on a real PostgreSQL: a server in "verify" mode refuses a schema
// older than its build, with the command to run; two deploys migrating at once take turns under
// the advisory lock (one applies everything, the other finds nothing to do); a newer schema (a
// rolling deploy) is accepted; `npm run db:migrate` is the same step from the command line.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrateDatabase, openDb, SchemaBehindError } from "./client";
import { startTestPostgres, type TestPostgres } from "./test-postgres";

const run = promisify(execFile);
const migrationFiles = readdirSync(path.join(process.cwd(), "drizzle")).filter((f) => f.endsWith(".sql"));

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

it("a verifying server refuses an unmigrated database and names the command", async () => {
  const attempt = openDb({ kind: "postgres", url: pg.url, migrations: "verify" });
  await expect(attempt).rejects.toBeInstanceOf(SchemaBehindError);
  await expect(openDb({ kind: "postgres", url: pg.url, migrations: "verify" })).rejects.toThrow(
    /npm run db:migrate/,
  );
});

it("two deploys migrating at once: one applies every migration, the other none", async () => {
  const results = await Promise.all([migrateDatabase(pg.url), migrateDatabase(pg.url)]);
  expect(results.map((r) => r.pending).sort()).toEqual([0, migrationFiles.length]);
  const h = await openDb({ kind: "postgres", url: pg.url, migrations: "verify" });
  await h.close();
}, 60_000);

it("a schema newer than the build is served (rolling deploy)", async () => {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  await c.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('next-build', $1)", [
    Date.now() + 86_400_000,
  ]);
  await c.end();
  const h = await openDb({ kind: "postgres", url: pg.url, migrations: "verify" });
  await h.close();
});

it("npm run db:migrate reports a current schema, and fails clearly on a bad URL", async () => {
  const ok = await run("npx", ["tsx", "scripts/migrate.ts"], {
    env: { ...process.env, DATABASE_URL: pg.url, DATABASE_URL_UNPOOLED: "" },
  });
  expect(ok.stdout).toMatch(/schema already current/);
  const bad = run("npx", ["tsx", "scripts/migrate.ts"], {
    env: { ...process.env, DATABASE_URL: "not a url", DATABASE_URL_UNPOOLED: "" },
  });
  await expect(bad).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/not a valid URL/) });
}, 60_000);

it("a serverless pool (Vercel) opens, verifies and serves queries", async () => {
  const quiet = console.warn;
  console.warn = () => {}; // outside a Vercel request, attachDatabasePool notes each release
  try {
    const h = await openDb({ kind: "postgres", url: pg.url, migrations: "verify", serverless: true });
    const rows = await h.db.execute(sql`select 1 as one`);
    expect((rows as unknown as { rows: { one: number }[] }).rows[0]?.one).toBe(1);
    await h.close();
  } finally {
    console.warn = quiet;
  }
});
