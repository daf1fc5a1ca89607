// The shared rate-limit store on real databases: PGlite for the logic, a private PostgreSQL server
// for two "instances" (two pools on one database) counting into one limit under concurrency.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "../db/client";
import { rateCounters } from "../db/schema";
import { startTestPostgres, type TestPostgres } from "../db/test-postgres";
import {
  MAX_FAILED_ATTEMPTS_PER_MINUTE,
  allowRequest,
  isThrottled,
  memoryRateLimitStore,
  recordFailedAttempt,
  setRateLimitStore,
} from "./rate-limit";
import { databaseRateLimitStore, pruneRateCounters } from "./rate-limit-db";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

describe("on PGlite", () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openDb({ kind: "pglite", dataDir: null });
  });
  afterAll(async () => {
    setRateLimitStore(memoryRateLimitStore());
    await h?.close();
  });

  it("counts per key and bucket, and reads this window and the last in one go", async () => {
    const store = databaseRateLimitStore(async () => h.db);
    expect(await store.increment("a", MINUTE, T0)).toBe(1);
    expect(await store.increment("a", MINUTE, T0 + 1)).toBe(2);
    expect(await store.increment("a", MINUTE, T0 + MINUTE)).toBe(1);
    expect(await store.increment("b", MINUTE, T0)).toBe(1);
    expect(await store.recent("a", MINUTE, T0 + MINUTE + 5)).toEqual({ current: 1, previous: 2 });
    expect(await store.recent("a", MINUTE, T0 + 3 * MINUTE)).toEqual({ current: 0, previous: 0 });
    expect(await store.recent("nobody", MINUTE, T0)).toEqual({ current: 0, previous: 0 });
  });

  it("throttles a payer through the database and forgets it once the minute has slid past", async () => {
    setRateLimitStore(databaseRateLimitStore(async () => h.db));
    const keys = ["payer:0xabc"];
    for (let i = 0; i < MAX_FAILED_ATTEMPTS_PER_MINUTE; i++) await recordFailedAttempt(keys, T0 + i);
    expect(await isThrottled(keys, T0 + 1_000)).toBe(true);
    expect(await isThrottled(["payer:0xdef"], T0 + 1_000)).toBe(false);
    expect(await isThrottled(keys, T0 + 2 * MINUTE + 1)).toBe(false);
  });

  it("prunes only counters whose windows are over", async () => {
    const store = databaseRateLimitStore(async () => h.db);
    await store.increment("old", MINUTE, T0 - 10 * MINUTE);
    await store.increment("fresh", MINUTE, T0);
    const gone = await pruneRateCounters(h.db, new Date(T0));
    expect(gone).toBeGreaterThanOrEqual(1);
    const left = (await h.db.select().from(rateCounters)).map((r) => r.key);
    expect(left).not.toContain("old");
    expect(left).toContain("fresh");
  });
});

describe("two instances on one PostgreSQL", () => {
  let pg: TestPostgres;
  let a: DbHandle;
  let b: DbHandle;
  beforeAll(async () => {
    pg = await startTestPostgres();
    a = await openDb({ kind: "postgres", url: pg.url });
    b = await openDb({ kind: "postgres", url: pg.url });
  }, 60_000);
  afterAll(async () => {
    setRateLimitStore(memoryRateLimitStore());
    await a?.close();
    await b?.close();
    await pg?.stop();
  });

  it("counts every one of 60 concurrent increments from both, exactly", async () => {
    const sa = databaseRateLimitStore(async () => a.db);
    const sb = databaseRateLimitStore(async () => b.db);
    const counts = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? sa : sb).increment("shared", MINUTE, T0)),
    );
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await sb.recent("shared", MINUTE, T0)).toEqual({ current: 60, previous: 0 });
  });

  it("a request limit spent on one instance is spent on the other", async () => {
    const sa = databaseRateLimitStore(async () => a.db);
    const sb = databaseRateLimitStore(async () => b.db);
    const limit = 10;
    setRateLimitStore(sa);
    for (let i = 0; i < limit / 2; i++)
      expect(await allowRequest("claims:ip:203.0.113.9", limit, T0)).toBe(true);
    setRateLimitStore(sb);
    for (let i = 0; i < limit / 2; i++)
      expect(await allowRequest("claims:ip:203.0.113.9", limit, T0)).toBe(true);
    expect(await allowRequest("claims:ip:203.0.113.9", limit, T0)).toBe(false);
    setRateLimitStore(sa);
    expect(await allowRequest("claims:ip:203.0.113.9", limit, T0)).toBe(false);
  });
});
