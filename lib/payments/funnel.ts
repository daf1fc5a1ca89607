// Funnel counters (402s shown, receipt re-reads) kept in memory and written in batches, so the
// unpaid path stays free of database writes. A batch is flushed after FLUSH_MS: by a timer in a
// long-lived server, and by the first request after that in Next's after() (a serverless
// function may be frozen before a timer fires; after() keeps it alive until the write is done,
// once the answer is sent). The cron route flushes too. A process that dies loses at most one
// batch of counts, which is fine for analytics and never touches money.
import "server-only";
import { sql } from "drizzle-orm";
import { after } from "next/server";
import type { Db } from "../db/client";
import { resourceStats } from "../db/schema";

type Counts = { shown402: number; receiptReads: number };
const FLUSH_MS = 5_000;

const globalForFunnel = globalThis as unknown as {
  kioskFunnel?: {
    pending: Map<string, Counts>;
    timer: ReturnType<typeof setTimeout> | null;
    db: Db | null;
    /** When the oldest count in `pending` was made. */
    since: number;
  };
};
const state = (globalForFunnel.kioskFunnel ??= { pending: new Map(), timer: null, db: null, since: 0 });

export function countFunnel(db: Db, resource: string, event: keyof Counts, now = Date.now()): void {
  const key = `${resource}\u0000${new Date(now).toISOString().slice(0, 10)}`;
  if (state.pending.size === 0) state.since = now;
  const counts = state.pending.get(key) ?? { shown402: 0, receiptReads: 0 };
  counts[event]++;
  state.pending.set(key, counts);
  state.db = db;
  if (now - state.since >= FLUSH_MS) {
    try {
      after(() => flushFunnel());
      return;
    } catch {
      // outside a request (tests, scripts): the timer below flushes
    }
  }
  state.timer ??= setTimeout(() => void flushFunnel(), FLUSH_MS);
  state.timer.unref?.();
}

export async function flushFunnel(): Promise<void> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const db = state.db;
  if (!db || state.pending.size === 0) return;
  const batch = [...state.pending.entries()];
  state.pending.clear();
  try {
    await db
      .insert(resourceStats)
      .values(
        batch.map(([key, c]) => {
          const [resource, day] = key.split("\u0000") as [string, string];
          return { resource, day, shown402: c.shown402, receiptReads: c.receiptReads };
        }),
      )
      .onConflictDoUpdate({
        target: [resourceStats.resource, resourceStats.day],
        set: {
          shown402: sql`${resourceStats.shown402} + excluded.shown_402`,
          receiptReads: sql`${resourceStats.receiptReads} + excluded.receipt_reads`,
        },
      });
  } catch (error) {
    console.warn("[kiosk] could not flush funnel counters:", error instanceof Error ? error.message : error);
  }
}
