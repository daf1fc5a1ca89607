// Funnel counters (402s shown, receipt re-reads) kept in memory and flushed every few seconds,
// so the unpaid path stays free of database writes. A crash loses at most one interval of counts,
// which is fine for analytics and never touches money.
import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { resourceStats } from "../db/schema";

type Counts = { shown402: number; receiptReads: number };
const FLUSH_MS = 5_000;

const globalForFunnel = globalThis as unknown as {
  kioskFunnel?: { pending: Map<string, Counts>; timer: ReturnType<typeof setTimeout> | null; db: Db | null };
};
const state = (globalForFunnel.kioskFunnel ??= { pending: new Map(), timer: null, db: null });

export function countFunnel(db: Db, resource: string, event: keyof Counts): void {
  const key = `${resource}\u0000${new Date().toISOString().slice(0, 10)}`;
  const counts = state.pending.get(key) ?? { shown402: 0, receiptReads: 0 };
  counts[event]++;
  state.pending.set(key, counts);
  state.db = db;
  state.timer ??= setTimeout(() => void flushFunnel(), FLUSH_MS);
  state.timer.unref?.();
}

export async function flushFunnel(): Promise<void> {
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
