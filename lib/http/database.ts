// The database for a request, or the one answer every route gives when there is none: a 503
// saying nothing was charged (true on every route: without the database no payment can be
// reserved or recorded, so the paid path fails closed), or, when the schema is older than this
// build, a 503 naming the command that fixes it.
import "server-only";
import { getDb } from "../db";
import { SchemaBehindError, type Db } from "../db/client";
import { ApiError } from "./errors";

export async function openDatabase(): Promise<Db> {
  try {
    return await getDb();
  } catch (error) {
    console.error("[kiosk] database unavailable:", error instanceof Error ? error.message : error);
    if (error instanceof SchemaBehindError)
      throw new ApiError(
        "not_configured",
        "This server's database schema is out of date; nothing was charged. The operator must run `npm run db:migrate`.",
      );
    throw new ApiError(
      "database_unavailable",
      "The database is unavailable; nothing was charged. Try again shortly.",
    );
  }
}
