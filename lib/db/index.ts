// The server's one database connection, opened on first use and shared across requests (and
// across hot reloads in dev, where modules are re-evaluated but globalThis survives).
import "server-only";
import { env } from "../env";
import { openDb, type Db, type DbHandle } from "./client";

const globalForDb = globalThis as unknown as { kioskDb?: Promise<DbHandle>; kioskDbStatements?: number };

/** Statements this process has sent through getDb()'s connection (tests count a request's cost). */
export function statementsSent(): number {
  return globalForDb.kioskDbStatements ?? 0;
}
const countStatement = () => {
  globalForDb.kioskDbStatements = statementsSent() + 1;
};

export function getDb(): Promise<Db> {
  const e = env();
  globalForDb.kioskDb ??= openDb(
    e.database.kind === "postgres"
      ? {
          kind: "postgres",
          url: e.database.url,
          // A deployed server never migrates on a cold start (`npm run db:migrate` is the deploy
          // step); it only checks that the schema is not older than its build.
          migrations: e.nodeEnv === "production" ? "verify" : "apply",
          serverless: e.serverless,
          onQuery: countStatement,
        }
      : { kind: "pglite", dataDir: e.database.dataDir, onQuery: countStatement },
  ).catch((error: unknown) => {
    globalForDb.kioskDb = undefined; // let the next request try again
    throw error;
  });
  return globalForDb.kioskDb.then((h) => h.db);
}

export type { Db };
