// The rate-limit store every server instance shares: counters in Postgres (or PGlite locally),
// one row per (key, bucket), bumped with one UPSERT and read with one SELECT. Several instances
// behind a balancer then see one limit, and a restart forgets nothing.
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rateCounters } from "../db/schema";
import type { RateLimitStore } from "./rate-limit";

/** Expired rows are deleted by every this-many-th increment of a process (cheap, bounded). */
const PRUNE_EVERY = 500;

export function databaseRateLimitStore(db: () => Promise<Db>): RateLimitStore {
  let increments = 0;
  return {
    async increment(key, windowMs, now) {
      const bucket = Math.floor(now / windowMs);
      // A counter matters for its own window and the next one (the sliding minute reads both).
      const expiresAt = new Date((bucket + 2) * windowMs);
      const handle = await db();
      const [row] = await handle
        .insert(rateCounters)
        .values({ key, bucket, count: 1, expiresAt })
        .onConflictDoUpdate({
          target: [rateCounters.key, rateCounters.bucket],
          set: { count: sql`${rateCounters.count} + 1` },
        })
        .returning({ count: rateCounters.count });
      if (++increments % PRUNE_EVERY === 0) await pruneRateCounters(handle, new Date(now));
      return row?.count ?? 1;
    },
    async recent(key, windowMs, now) {
      const bucket = Math.floor(now / windowMs);
      const rows = await (
        await db()
      )
        .select({ bucket: rateCounters.bucket, count: rateCounters.count })
        .from(rateCounters)
        .where(and(eq(rateCounters.key, key), inArray(rateCounters.bucket, [bucket, bucket - 1])));
      const at = (b: number) => rows.find((r) => r.bucket === b)?.count ?? 0;
      return { current: at(bucket), previous: at(bucket - 1) };
    },
  };
}

/** Deletes counters whose windows are over; returns how many went. */
export async function pruneRateCounters(db: Db, now = new Date()): Promise<number> {
  const gone = await db
    .delete(rateCounters)
    .where(lt(rateCounters.expiresAt, now))
    .returning({ key: rateCounters.key });
  return gone.length;
}
