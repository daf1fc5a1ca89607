// Opens Kiosk's database: PGlite (embedded Postgres) in a folder by default, a Postgres server
// when DATABASE_URL is set. Both run the same Drizzle migrations from drizzle/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { fillBodyTrees } from "./body-trees";
import { schema } from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbHandle = { db: Db; close: () => Promise<void>; kind: "pglite" | "postgres" };

export type OpenDbOptions = (
  | { kind: "pglite"; dataDir: string | null /* null = in memory */ }
  | { kind: "postgres"; url: string }
) & {
  /** Called for every statement Drizzle sends (the benchmark counts database round trips). */
  onQuery?: (sql: string) => void;
};

const migrationsFolder = path.join(process.cwd(), "drizzle");

export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  if (options.kind === "postgres") {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const pool = new Pool({ connectionString: options.url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle connection the server drops (a restart, a pooler's timeout) is reported on the pool;
    // unheard, that event would crash the process. The pool opens a new connection on next use.
    let closing = false;
    pool.on("error", (error) => {
      if (!closing) console.warn("[kiosk] idle database connection lost:", error.message);
    });
    const db = drizzle(pool, { schema, logger: queryLogger(options.onQuery) });
    await migrate(db, { migrationsFolder });
    await fillBodyTrees(db as unknown as Db);
    const close = async () => {
      closing = true;
      await pool.end();
    };
    return { db: db as unknown as Db, close, kind: "postgres" };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (options.dataDir) mkdirSync(path.dirname(options.dataDir), { recursive: true }); // PGlite won't create parents
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  const db = drizzle(client, { schema, logger: queryLogger(options.onQuery) });
  await migrate(db, { migrationsFolder });
  await fillBodyTrees(db as unknown as Db);
  return { db: db as unknown as Db, close: () => client.close(), kind: "pglite" };
}

function queryLogger(onQuery: ((sql: string) => void) | undefined) {
  return onQuery ? { logQuery: (sql: string) => onQuery(sql) } : false;
}
