// One purchase per payer and resource is in flight at a time (the payments table's lock key).
// A second one waits here, bounded, for the first to finish; a holder that looks abandoned is
// finished by whoever it blocks, never trusted.
import "server-only";
import type { PaidContext } from "./context";
import { reconcilePayment } from "./reconcile";
import { releaseReservation, reservePayment, type PaymentRow } from "./store";

/** How long a second payment from the same payer for the same resource waits for the first. */
const BUSY_WAIT_MS = 10_000;
/**
 * A "settling" row older than this is checked against the chain by whoever it blocks (at most
 * once a second per waiter). Checking a live settlement is harmless: recording is idempotent and
 * a row is failed only once its authorization can no longer land.
 */
export const STALE_SETTLING_MS = 5_000;
const RECONCILE_EVERY_MS = 1_000;
/** A "reserved" row older than this was abandoned before it was sent (a crash, an exception). */
const RESERVED_LEASE_MS = 60_000;
/**
 * Waiting costs a database round trip per poll; these caps keep waiters from pinning the pool.
 * Process-local on purpose: they protect this process's pool, nothing else.
 */
const MAX_WAITERS = 64;
const MAX_WAITERS_PER_LOCK = 8;
const waiters = new Map<string, Set<() => void>>();
let waiting = 0;

type Reservation = Awaited<ReturnType<typeof reservePayment>>;

/**
 * Waits, bounded, for the payment that holds this payer's lock on the resource. The lock is
 * released only when its holder's outcome is final; a holder that looks abandoned is finished
 * here rather than trusted: a reservation past its lease was never sent (released), a stale
 * settlement is reconciled from the chain (settled, or failed once its authorization expired).
 */
export async function waitForTurn(
  ctx: PaidContext,
  row: Parameters<typeof reservePayment>[1] & { lockKey: string },
  first: Extract<Reservation, { kind: "busy" }>,
  clock: () => Date,
): Promise<{ kind: "reservation"; reservation: Reservation } | { kind: "gave-up" }> {
  const lock = row.lockKey;
  const set = waiters.get(lock) ?? new Set<() => void>();
  if (waiting >= MAX_WAITERS || set.size >= MAX_WAITERS_PER_LOCK) return { kind: "gave-up" };
  waiters.set(lock, set);
  waiting++;
  try {
    const deadline = performance.now() + (ctx.busyWaitMs ?? BUSY_WAIT_MS);
    let reservation: Reservation = first;
    let delay = 25;
    let lastCheck = -Infinity;
    while (reservation.kind === "busy") {
      if (reservation.existing && performance.now() - lastCheck >= RECONCILE_EVERY_MS) {
        lastCheck = performance.now();
        await finishAbandoned(ctx, reservation.existing, clock());
      }
      if (performance.now() + delay > deadline) return { kind: "gave-up" };
      // A holder in this process wakes us as soon as it finishes; others are polled.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, delay);
        set.add(done);
      });
      delay = Math.min(delay * 2, 500);
      reservation = await reservePayment(ctx.db, row, clock());
    }
    return { kind: "reservation", reservation };
  } finally {
    waiting--;
    if (set.size === 0) waiters.delete(lock);
  }
}

export function wake(lockKey: string): void {
  for (const done of [...(waiters.get(lockKey) ?? [])]) done();
}

async function finishAbandoned(ctx: PaidContext, holder: PaymentRow, now: Date): Promise<void> {
  const age = now.getTime() - holder.updatedAt.getTime();
  if (holder.status === "reserved" && age > RESERVED_LEASE_MS) {
    await releaseReservation(ctx.db, holder.id, "abandoned before settlement", now);
  } else if (holder.status === "settling" && age > STALE_SETTLING_MS) {
    await reconcilePayment(ctx.db, ctx.chainClient, holder);
  }
}
