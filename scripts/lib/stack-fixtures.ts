// Databases as other versions of Kiosk left them, for the stack's start-up tests: this
// checkout's migrations with the journal edited (cut short, dated otherwise, or one added), run
// by drizzle's own migrator into a real PGlite folder.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type JournalEntry = { idx: number; version: string; when: number; tag: string; breakpoints: boolean };

/** When 0000_init was first generated; it was regenerated the same day, so databases from before carry this date. */
export const ORIGINAL_INIT_MILLIS = 1_795_554_316_569;

export async function makeDatabase(
  dataDir: string,
  options: {
    rewrite?: (entries: JournalEntry[]) => JournalEntry[];
    /** Extra migrations (tag → SQL), appended after the rewritten journal, a minute apart. */
    extra?: Record<string, string>;
    /** Runs on the database before it is closed (rows an older version would have written). */
    fill?: (query: (sql: string) => Promise<unknown>) => Promise<void>;
  } = {},
): Promise<void> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const folder = mkdtempSync(path.join(tmpdir(), "kiosk-migrations-"));
  try {
    cpSync(path.join(process.cwd(), "drizzle"), folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: JournalEntry[] };
    let entries = options.rewrite ? options.rewrite(journal.entries) : journal.entries;
    for (const [tag, sql] of Object.entries(options.extra ?? {})) {
      const last = entries[entries.length - 1];
      writeFileSync(path.join(folder, `${tag}.sql`), sql);
      entries = [
        ...entries,
        { idx: entries.length, version: "7", when: (last?.when ?? 0) + 60_000, tag, breakpoints: true },
      ];
    }
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries }));

    mkdirSync(path.dirname(dataDir), { recursive: true });
    const client = new PGlite(dataDir);
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
      await options.fill?.((sql) => client.query(sql));
    } finally {
      await client.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
