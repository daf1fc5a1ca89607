// Opens Kiosk's database: PGlite (embedded Postgres) in a folder by default, a Postgres server
// when DATABASE_URL is set. Both run the same Drizzle migrations from drizzle/.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fillBodyTrees } from "./body-trees";
import type { Db } from "./handle";
import { schema } from "./schema";

export type { Db };

export type DbHandle = {
  db: Db;
  close: () => Promise<void>;
  kind: "pglite" | "postgres";
  /** How many migrations this open applied to a database that had some already ("apply" mode). */
  migrated?: number;
};

export type OpenDbOptions = (
  | { kind: "pglite"; dataDir: string | null /* null = in memory */ }
  | { kind: "postgres"; url: string }
) & {
  /** Called for every statement Drizzle sends (the benchmark counts database round trips). */
  onQuery?: (sql: string) => void;
  /**
   * "apply" (default): run pending migrations on open (PGlite, tests, local stacks).
   * "verify": never migrate; refuse a schema older than this build (a deployed server: the
   * deploy step runs `npm run db:migrate` once, under a lock, instead of every cold start).
   */
  migrations?: "apply" | "verify";
  /**
   * Serverless functions (Vercel): a small pool (each instance serves one request at a time,
   * mostly) whose idle connections are closed before the function is suspended
   * (attachDatabasePool from @vercel/functions), over the provider's pooled URL.
   */
  serverless?: boolean;
};

/** The schema is older than this build expects. */
export class SchemaBehindError extends Error {}

/**
 * The database's migration history is not a beginning of this build's: it was made by a newer
 * checkout, by one whose migrations were since regenerated, or without migrations at all.
 * Migrating it would fail half-way ("relation already exists") or skip a migration for good.
 */
export class SchemaMismatchError extends Error {}

const migrationsFolder = path.join(process.cwd(), "drizzle");

export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  if (options.kind === "postgres") {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const pool = new Pool({
      connectionString: options.url,
      max: options.serverless ? 5 : 10,
      idleTimeoutMillis: 5_000,
      connectionTimeoutMillis: 5_000,
    });
    if (options.serverless) {
      const { attachDatabasePool } = await import("@vercel/functions");
      attachDatabasePool(pool);
    }
    // An idle connection the server drops (a restart, a pooler's timeout) is reported on the pool;
    // unheard, that event would crash the process. The pool opens a new connection on next use.
    let closing = false;
    pool.on("error", (error) => {
      if (!closing) console.warn("[kiosk] idle database connection lost:", error.message);
    });
    const db = drizzle(pool, { schema, logger: queryLogger(options.onQuery) });
    const close = async () => {
      closing = true;
      await pool.end();
    };
    try {
      let migrated = 0;
      if (options.migrations === "verify") await verifySchema(pool);
      else {
        migrated = await checkMigrationHistory((text) => pool.query(text));
        await migrate(db, { migrationsFolder });
      }
      await fillBodyTrees(db as unknown as Db);
      return { db: db as unknown as Db, close, kind: "postgres", migrated };
    } catch (error) {
      await close();
      throw error;
    }
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (options.dataDir) mkdirSync(path.dirname(options.dataDir), { recursive: true }); // PGlite won't create parents
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  const db = drizzle(client, { schema, logger: queryLogger(options.onQuery) });
  try {
    const migrated = await checkMigrationHistory((text) => client.query(text));
    // Drizzle applies every pending migration in one transaction: all of them or none.
    await migrate(db, { migrationsFolder });
    await fillBodyTrees(db as unknown as Db);
    return { db: db as unknown as Db, close: () => client.close(), kind: "pglite", migrated };
  } catch (error) {
    await client.close();
    throw error;
  }
}

type JournalEntry = { when: number; tag: string };

function journal(folder = migrationsFolder): JournalEntry[] {
  const parsed = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return parsed.entries;
}

/** When the newest migration of this build was made (drizzle's journal; what the migrator records). */
export function latestMigrationMillis(): number {
  return Math.max(...journal().map((e) => e.when));
}

/**
 * Refuses a database whose applied migrations are not this build's first N, in order (drizzle's
 * migrator looks only at the newest applied one, so it would re-run or skip the others). A
 * database that is merely behind passes; returns how many migrations are pending for it (0 for an
 * empty database: creating one is not migrating it).
 */
export async function checkMigrationHistory(
  query: (text: string) => Promise<{ rows: unknown[] }>,
  folder = migrationsFolder,
): Promise<number> {
  const ours = journal(folder);
  const newest = ours[ours.length - 1];
  const day = (millis: number) => new Date(millis).toISOString().slice(0, 16).replace("T", " ");
  let applied: number[] = [];
  try {
    const { rows } = await query(
      "select created_at::text as created_at from drizzle.__drizzle_migrations order by created_at, id",
    );
    applied = rows.map((r) => Number((r as { created_at: string }).created_at));
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) !== "42P01") throw error; // 42P01: no migration table yet
  }
  if (applied.length === 0) {
    const { rows } = await query(
      "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
    );
    const tables = Number((rows[0] as { n?: number } | undefined)?.n ?? 0);
    if (tables > 0) {
      throw new SchemaMismatchError(
        `it has ${tables} table(s) but no migration history (made without drizzle's migrations)`,
      );
    }
    return 0;
  }
  for (const [i, when] of applied.entries()) {
    if (when === ours[i]?.when) continue;
    if (newest && when > newest.when) {
      throw new SchemaMismatchError(
        `it was migrated by a newer Kiosk (a migration of ${day(when)} UTC; this checkout's newest is ${newest.tag} of ${day(newest.when)})`,
      );
    }
    const known = ours.find((e) => e.when === when);
    throw new SchemaMismatchError(
      known
        ? `its migrations skip ${ours[i]?.tag ?? "one"} (applied out of order by another checkout)`
        : `it has a migration of ${day(when)} UTC that this checkout does not know (made by another version of Kiosk)`,
    );
  }
  return ours.length - applied.length;
}

/**
 * How many migrations the database has applied, and when the newest of them was made (epoch ms,
 * drizzle's journal time); zero for both before the first migration created the table.
 */
export async function appliedMigrations(
  query: (text: string) => Promise<{ rows: unknown[] }>,
): Promise<{ count: number; newest: number }> {
  try {
    const { rows } = await query(
      "select count(*)::int as count, coalesce(max(created_at), 0)::text as newest from drizzle.__drizzle_migrations",
    );
    const row = rows[0] as { count?: number | string; newest?: string } | undefined;
    return { count: Number(row?.count ?? 0), newest: Number(row?.newest ?? 0) };
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) === "42P01") return { count: 0, newest: 0 }; // no such table yet
    throw error;
  }
}

/**
 * Refuses a database whose newest applied migration is older than this build's newest one. A
 * newer schema is accepted: during a rolling deploy the previous build keeps serving briefly.
 */
async function verifySchema(pool: import("pg").Pool): Promise<void> {
  const needed = latestMigrationMillis();
  const applied = (await appliedMigrations((text) => pool.query(text))).newest;
  if (applied < needed) {
    throw new SchemaBehindError(
      `The database schema is behind this build (newest migration applied: ${applied ? new Date(applied).toISOString() : "none"}; needed: ${new Date(needed).toISOString()}). Run \`npm run db:migrate\` against DATABASE_URL, then retry.`,
    );
  }
}

/**
 * The deploy step: applies pending migrations on one connection holding a Postgres advisory
 * lock, so two deploys (or a deploy and a preview) that migrate at once run them one after the
 * other; the second finds nothing left to do. Returns how many migrations were pending.
 */
export async function migrateDatabase(url: string): Promise<{ pending: number }> {
  const { Client } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const applied = () => appliedMigrations((text) => client.query(text));
    const before = (await applied()).count;
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    await fillBodyTrees(db as unknown as Db);
    return { pending: (await applied()).count - before };
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** Any constant the app owns; pg_advisory_lock takes a bigint key. */
const MIGRATION_LOCK = 4_024_020_402;

function queryLogger(onQuery: ((sql: string) => void) | undefined) {
  return onQuery ? { logQuery: (sql: string) => onQuery(sql) } : false;
}
