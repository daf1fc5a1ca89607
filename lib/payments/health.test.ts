// The health report against real parts: a healthy stack reports ok with the relayer's balance and
// pending count; a dead RPC, a dead hosted facilitator, a drained relayer and a schema older than
// the build are each named, and nothing secret appears.
import { createPublicClient, createTestClient, http, type PublicClient } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDb, type DbHandle } from "../db/client";
import { createHttpFacilitator } from "./facilitator";
import { checkHealth } from "./health";
import { startHarness, type Harness } from "./testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const deadClient = createPublicClient({
  transport: http("http://127.0.0.1:9", { retryCount: 0 }),
}) as PublicClient;

it("a healthy stack: ok, the relayer's balance and pending transactions, the schema current", async () => {
  const report = await checkHealth({
    db: async () => h.db.db,
    chainClient: h.client,
    expectedChainId: h.ctx.chain.chainId,
    facilitator: h.facilitator,
  });
  expect(report.ok, JSON.stringify(report)).toBe(true);
  expect(report.failing).toEqual([]);
  expect(report.database.schema?.applied).toBe(report.database.schema?.build);
  expect(report.rpc.chainId).toBe(h.ctx.chain.chainId);
  expect(report.facilitator.relayer).toMatchObject({
    address: h.facilitator.relayer.address,
    pending: 0,
    paused: false,
  });
  expect(BigInt(report.facilitator.relayer!.balanceWei!)).toBeGreaterThan(0n);
  expect(JSON.stringify(report)).not.toMatch(/0x[0-9a-f]{64}/i); // no keys, no secrets
});

it("names each failing part: the RPC, a hosted facilitator, a drained relayer", async () => {
  const report = await checkHealth({
    db: async () => h.db.db,
    chainClient: deadClient,
    expectedChainId: h.ctx.chain.chainId,
    facilitator: createHttpFacilitator({ url: "http://127.0.0.1:9", timeoutMs: 1_000 }),
    timeoutMs: 2_000,
  });
  expect(report.ok).toBe(false);
  expect(report.failing).toEqual(["rpc", "facilitator"]);
  expect(report.rpc.detail).toMatch(/unreachable/);
  expect(report.facilitator.detail).toBe("the hosted facilitator did not answer");

  const testClient = createTestClient({ mode: "anvil", transport: http(h.chain.rpcUrl) });
  const address = h.facilitator.relayer.address;
  const balance = await h.client.getBalance({ address });
  await testClient.setBalance({ address, value: 1n });
  try {
    const drained = await checkHealth({
      db: async () => h.db.db,
      chainClient: h.client,
      expectedChainId: h.ctx.chain.chainId,
      facilitator: h.facilitator,
    });
    expect(drained.failing).toEqual(["facilitator"]);
    expect(drained.facilitator.detail).toMatch(/low on gas money/);
  } finally {
    await testClient.setBalance({ address, value: balance });
  }
});

it("a schema older than the build is named with the command to run; a wrong chain too", async () => {
  let behind: DbHandle | null = null;
  try {
    behind = await openDb({ kind: "pglite", dataDir: null });
    await behind.db.execute(
      sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
    );
    const report = await checkHealth({
      db: async () => behind!.db,
      chainClient: h.client,
      expectedChainId: 1,
      facilitator: h.facilitator,
    });
    expect(report.failing).toEqual(["database", "rpc"]);
    expect(report.database.detail).toMatch(/npm run db:migrate/);
    expect(report.rpc.detail).toMatch(/wrong chain/);
  } finally {
    await behind?.close();
  }
});
