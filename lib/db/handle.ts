// The database handle's type, apart from the code that opens it (client.ts), so a module client.ts
// runs on open (body-trees.ts) can name it without an import cycle.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { schema } from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
