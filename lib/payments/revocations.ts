// Receipts of refunded purchases stop opening anything, without a database read per request.
//
// A receipt is a signed token that proves a payment on its own (lib/verify.ts), so a refund cannot
// take it back; instead every place that accepts a receipt also asks this list. The list is every
// revoked entitlement (lib/payments/refunds.ts sets `revoked_at` when a refund is confirmed), read
// in one statement and kept in memory per process:
// - in the process that confirmed the refund, revocationsChanged(db) drops the list at once;
// - other instances re-read it when a request needs it and the copy is older than REFRESH_MS. The
//   re-read is awaited, not run behind the answer, so a refunded receipt opens nothing anywhere
//   later than REFRESH_MS (plus one query's time) after the refund was confirmed.
// Refunds are rare next to reads: the whole list is read each time rather than what changed, which
// would need an ordering that concurrent commits do not give (a serial id can commit out of order).
//
// A revoked entry matches a receipt of the same payer and resource that names the refunded sale's
// transaction; a receipt without a transaction (or an entry whose sale never learned one) matches
// when it was issued before the refund. So a receipt of another, unrefunded purchase of the same
// item keeps working, and one minted after a purchase made since the refund is not caught.
import "server-only";
import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { entitlements, payments } from "../db/schema";
import { readCookie, RECEIPT_COOKIE } from "../http/cookies";
import {
  receiptTokenFrom,
  verifyReceipt,
  type ReceiptCheck,
  type ReceiptClaims,
  type ReceiptSecrets,
} from "../verify";

/** The bound on how long a refunded receipt may still open its item on another instance. */
export const REVOCATIONS_REFRESH_MS = 30_000;

type Revoked = { tx: string | null; revokedAt: number };

export type RevocationList = {
  /** Whether `claims` (of a receipt whose signature checked out) belong to a refunded purchase. */
  isRevoked(claims: ReceiptClaims): Promise<boolean>;
  /** Reads the list again on the next question. */
  forget(): void;
};

export type RevocationListOptions = { refreshMs?: number; clock?: () => number };

export function createRevocationList(db: Db, options: RevocationListOptions = {}): RevocationList {
  const refreshMs = options.refreshMs ?? REVOCATIONS_REFRESH_MS;
  const clock = options.clock ?? Date.now;
  let revoked = new Map<string, Revoked[]>();
  let readAt = -Infinity;
  let reading: Promise<void> | null = null;
  let generation = 0;

  async function current(): Promise<void> {
    if (clock() - readAt < refreshMs) return;
    reading ??= (async () => {
      const startedAt = clock();
      const startedIn = generation;
      try {
        const rows = await db
          .select({
            payer: payments.payer,
            resource: payments.resource,
            tx: payments.txHash,
            revokedAt: entitlements.revokedAt,
          })
          .from(entitlements)
          .innerJoin(payments, eq(payments.id, entitlements.paymentId))
          .where(isNotNull(entitlements.revokedAt));
        const next = new Map<string, Revoked[]>();
        for (const r of rows) {
          const key = `${r.payer}|${r.resource}`;
          const list = next.get(key) ?? [];
          list.push({ tx: r.tx?.toLowerCase() ?? null, revokedAt: r.revokedAt!.getTime() });
          next.set(key, list);
        }
        revoked = next;
        // From the read's start (a refund committed during the read may be missing from it), and
        // only if no forget() came meanwhile (then the next question reads again).
        if (startedIn === generation) readAt = startedAt;
      } finally {
        reading = null;
      }
    })();
    await reading;
  }

  return {
    async isRevoked(claims) {
      await current();
      const entries = revoked.get(`${claims.sub}|${claims.res}`);
      if (!entries) return false;
      const tx = claims.tx?.toLowerCase();
      return entries.some((e) => (tx && e.tx ? e.tx === tx : claims.iat * 1000 <= e.revokedAt));
    },
    forget() {
      readAt = -Infinity;
      generation++;
    },
  };
}

// On globalThis: Next bundles routes, pages and proxy.ts separately, each with its own copy of this
// module, and a refund confirmed in a route must reach the list the pages read.
const globalForRevocations = globalThis as unknown as {
  kioskRevocations?: { shared: WeakMap<Db, RevocationList>; all: WeakMap<Db, Set<RevocationList>> };
};
const registry = (globalForRevocations.kioskRevocations ??= { shared: new WeakMap(), all: new WeakMap() });

/** This process's list of revoked purchases behind `db`. */
export function revocationsFor(db: Db): RevocationList {
  let list = registry.shared.get(db);
  if (!list) {
    list = createRevocationList(db);
    registry.shared.set(db, list);
    watch(db, list);
  }
  return list;
}

/** A list of its own (tests: a second instance on the same database); still dropped by revocationsChanged. */
export function separateRevocationList(db: Db, options?: RevocationListOptions): RevocationList {
  return watch(db, createRevocationList(db, options));
}

function watch(db: Db, list: RevocationList): RevocationList {
  const set = registry.all.get(db) ?? new Set();
  set.add(list);
  registry.all.set(db, set);
  return list;
}

/** Call after revoking through `db`: this process's lists read again; other instances within REFRESH_MS. */
export function revocationsChanged(db: Db): void {
  for (const list of registry.all.get(db) ?? []) list.forget();
}

/**
 * verifyReceipt, and then whether the purchase it proves was refunded ("revoked"). Every place
 * that accepts a receipt asks this, not verifyReceipt alone. Rejects when the list cannot be read
 * (the database is down): the caller fails closed.
 */
export async function checkReceipt(
  revocations: RevocationList,
  token: string | null | undefined,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date = new Date(),
): Promise<ReceiptCheck> {
  const check = await verifyReceipt(token, resource, secrets, now);
  if (check.kind !== "valid") return check;
  return (await revocations.isRevoked(check.claims)) ? { kind: "invalid", reason: "revoked" } : check;
}

/**
 * Whether a request carries a valid, unrefunded receipt for `resource` (forwarded by proxy.ts,
 * Bearer, or the cookie in its Cookie header). Unpublished items stay readable for exactly these
 * requests.
 */
export async function holdsReceipt(
  db: Db,
  headers: Headers,
  resource: string,
  secrets: ReceiptSecrets,
  now: Date = new Date(),
): Promise<boolean> {
  const token = receiptTokenFrom(headers, readCookie(headers.get("cookie"), RECEIPT_COOKIE));
  return (await checkReceipt(revocationsFor(db), token, resource, secrets, now)).kind === "valid";
}
