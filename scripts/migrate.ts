// npm run db:migrate — the deploy step: applies pending migrations to DATABASE_URL_UNPOOLED (a
// direct connection: advisory locks and DDL do not belong on a transaction pooler) or, without
// it, DATABASE_URL; under an advisory lock, so concurrent deploys take turns. Deployed servers
// never migrate themselves; they refuse to serve a schema older than their build.
// Without either variable there is no server database: the embedded PGlite migrates on open.
import { migrateDatabase } from "../lib/db/client";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL_UNPOOLED || process.env.DATABASE_URL;
  if (!url) {
    console.log("db:migrate: no DATABASE_URL; the embedded database (PGlite) migrates itself when opened.");
    return;
  }
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      throw new Error("db:migrate: DATABASE_URL is not a valid URL.");
    }
  })();
  const started = Date.now();
  const { pending } = await migrateDatabase(url);
  console.log(
    `db:migrate: ${pending ? `applied ${pending} migration(s)` : "schema already current"} on ${host} in ${Date.now() - started} ms.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
