// The server's one database connection, opened on first use and shared across requests (and
// across hot reloads in dev, where modules are re-evaluated but globalThis survives).
import "server-only";
import { env } from "../env";
import { openDb, type Db, type DbHandle } from "./client";

const globalForDb = globalThis as unknown as { kioskDb?: Promise<DbHandle> };

export function getDb(): Promise<Db> {
  globalForDb.kioskDb ??= openDb(
    env().database.kind === "postgres"
      ? { kind: "postgres", url: (env().database as { url: string }).url }
      : { kind: "pglite", dataDir: (env().database as { dataDir: string }).dataDir },
  ).catch((error: unknown) => {
    globalForDb.kioskDb = undefined; // let the next request try again
    throw error;
  });
  return globalForDb.kioskDb.then((h) => h.db);
}

export type { Db };
