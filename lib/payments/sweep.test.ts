// The sweep of unfinished payments, run by several callers at once on one PostgreSQL (the cron
// route on three instances, say): each caller leases its own rows, so every payment is
// reconciled exactly once and ends settled with one entitlement.
import { encodePaymentSignatureHeader, decodePaymentRequiredHeader } from "@x402/core/http";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb, type DbHandle } from "../db/client";
import { entitlements, payments } from "../db/schema";
import { startTestPostgres, type TestPostgres } from "../db/test-postgres";
import { reconcileUnfinished } from "./reconcile";
import { startHarness, type Harness } from "./testing";

let pg: TestPostgres;
let h: Harness;
let others: DbHandle[] = [];
beforeAll(async () => {
  pg = await startTestPostgres();
  h = await startHarness({ databaseUrl: pg.url });
  others = [await openDb({ kind: "postgres", url: pg.url }), await openDb({ kind: "postgres", url: pg.url })];
}, 90_000);
afterAll(async () => {
  for (const o of others) await o.close();
  await h?.stop();
  await pg?.stop();
});

/** A payment that settled on chain, left by a process that died before recording it. */
async function strandedPayment(readerIndex: number, slug: string): Promise<number> {
  const res = await h.article(slug);
  const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
  const payload = await h.pay(h.readers[readerIndex]!, required);
  const r = await h.request(res, { headers: { "payment-signature": encodePaymentSignatureHeader(payload) } });
  expect(r.status).toBe(200);
  const nonce = (payload.payload as { authorization: { nonce: string } }).authorization.nonce.toLowerCase();
  const [row] = await h.db.db.select().from(payments).where(eq(payments.nonce, nonce));
  await h.db.db
    .update(payments)
    .set({ status: "settling", txHash: null, settledAt: null, updatedAt: new Date(Date.now() - 120_000) })
    .where(eq(payments.id, row!.id));
  await h.db.db.delete(entitlements).where(eq(entitlements.paymentId, row!.id));
  return row!.id;
}

it("three concurrent sweeps reconcile each of 9 stranded payments exactly once", async () => {
  const slugs = ["the-long-wait-for-402", "what-a-penny-costs-to-move", "clocks-that-disagree"];
  const ids: number[] = [];
  for (let i = 0; i < 9; i++) ids.push(await strandedPayment(i % h.readers.length, slugs[i % 3]!));

  const results = await Promise.all(
    [h.db.db, others[0]!.db, others[1]!.db].map((db) => reconcileUnfinished(db, h.client)),
  );
  expect(results.reduce((n, r) => n + r.examined, 0)).toBe(9);
  expect(results.reduce((n, r) => n + r.settled, 0)).toBe(9);
  expect(results.reduce((n, r) => n + r.errors, 0)).toBe(0);

  const rows = await h.db.db.select().from(payments).where(inArray(payments.id, ids));
  expect(rows.map((r) => r.status)).toEqual(Array(9).fill("settled"));
  expect(rows.every((r) => /^0x[0-9a-f]{64}$/.test(r.txHash ?? ""))).toBe(true);
  const grants = await h.db.db.select().from(entitlements).where(inArray(entitlements.paymentId, ids));
  expect(grants).toHaveLength(9);

  // Nothing is left for a later sweep.
  const again = await reconcileUnfinished(others[0]!.db, h.client);
  expect(again.examined).toBe(0);
}, 120_000);

it("a row whose chain read fails is leased, not retried in a loop, and picked up once the lease ends", async () => {
  const id = await strandedPayment(0, "reading-the-tide-tables");
  // A client whose every call fails: the sweep must end (not spin on the same row) and count it.
  const dead = new Proxy(h.client, {
    get(target, prop) {
      if (typeof (target as never)[prop] === "function") return () => Promise.reject(new Error("rpc down"));
      return (target as never)[prop];
    },
  });
  const first = await reconcileUnfinished(h.db.db, dead, new Date(), 5_000);
  expect(first.examined).toBe(1);
  const [row] = await h.db.db.select().from(payments).where(eq(payments.id, id));
  expect(row!.status).toBe("settling");
  expect(row!.reconcileLeaseUntil!.getTime()).toBeGreaterThan(Date.now());
  // Another sweep meanwhile leaves it alone; after the lease it settles.
  expect((await reconcileUnfinished(others[1]!.db, h.client)).examined).toBe(0);
  await h.db.db
    .update(payments)
    .set({ reconcileLeaseUntil: new Date(Date.now() - 1) })
    .where(eq(payments.id, id));
  const later = await reconcileUnfinished(others[1]!.db, h.client);
  expect(later.settled).toBe(1);
}, 120_000);
