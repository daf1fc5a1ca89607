// The same payment path on a real PostgreSQL server (DATABASE_URL), where a pool of connections
// runs requests truly in parallel: the unique keys, not a single-connection queue, must hold.
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../db/test-postgres";
import { payments } from "../db/schema";
import { startHarness, type Harness } from "./testing";

let pg: TestPostgres;
let h: Harness;
beforeAll(async () => {
  pg = await startTestPostgres();
  h = await startHarness({ databaseUrl: pg.url });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await pg?.stop();
});

const settled = async (resource: string) =>
  (
    await h.db.db
      .select()
      .from(payments)
      .where(and(eq(payments.resource, resource), eq(payments.status, "settled")))
  ).length;

it("migrates and seeds the same schema", async () => {
  expect(h.db.kind).toBe("postgres");
  expect((await h.article("the-long-wait-for-402")).priceAtomic).toBe(50_000n);
});

it("one payment replayed 20× in parallel settles once", async () => {
  const res = await h.article("reading-the-tide-tables");
  const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
  const headers = { "payment-signature": encodePaymentSignatureHeader(await h.pay(h.readers[0]!, required)) };
  const before = await h.balance(h.readers[0]!.address);
  const statuses = (await Promise.all(Array.from({ length: 20 }, () => h.request(res, { headers })))).map(
    (r) => r.status,
  );
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses).toContain(200);
  expect(await h.balance(h.readers[0]!.address)).toBe(before - res.priceAtomic);
  expect(await settled(res.key)).toBe(1);
});

it("five different payments from one wallet for one article at once settle once", async () => {
  const res = await h.article("clocks-that-disagree");
  const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
  const reader = h.readers[1]!;
  const payloads = await Promise.all(Array.from({ length: 5 }, () => h.pay(reader, required)));
  const before = await h.balance(reader.address);
  const answers = await Promise.all(
    payloads.map((p) =>
      h.request(res, { headers: { "payment-signature": encodePaymentSignatureHeader(p) } }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(await h.balance(reader.address)).toBe(before - res.priceAtomic);
  expect(await settled(res.key)).toBe(1);
});

it("40 distinct payments from 4 payers, 8 at a time, all settle", async () => {
  const res = await h.data("markets/stablecoin-supply.json");
  const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
  const payloads = await Promise.all(
    Array.from({ length: 40 }, (_, i) => h.pay(h.readers[2 + (i % 4)]!, required)),
  );
  const publisherBefore = await h.balance(h.chain.devnet.payTo);
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < payloads.length) {
        const p = payloads[next++]!;
        statuses.push(
          (await h.request(res, { headers: { "payment-signature": encodePaymentSignatureHeader(p) } }))
            .status,
        );
      }
    }),
  );
  expect(statuses.filter((s) => s === 200)).toHaveLength(40);
  expect(await h.balance(h.chain.devnet.payTo)).toBe(publisherBefore + 40n * res.priceAtomic);
});
