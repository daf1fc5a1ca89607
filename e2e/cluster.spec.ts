// Kiosk as a serverless deployment runs it: three production servers (`next start`) on one
// PostgreSQL and one chain, behind a round-robin balancer that appends the client's address to
// X-Forwarded-For (the servers trust one hop). Everything the instances share goes through the
// database: relayer nonces, payments and their locks, receipts' secret, rate limits, funnel
// counters, the sweep of unfinished payments. The chain and the database are this spec's own,
// so no other spec's payments mix in. No browser: agents are the clients here.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { test, expect } from "@playwright/test";
import { and, eq, inArray } from "drizzle-orm";
import { createPublicClient, erc20Abi, http, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { entitlements, payments, resourceStats } from "../lib/db/schema";
import type { ChainConfig } from "../lib/x402/requirements";
import {
  CLUSTER_SECRETS,
  devnetReaders,
  settledPaymentsOf,
  signedPaymentHeader,
  startCluster,
  type Cluster,
} from "../scripts/lib/cluster";
import { REPO_ROOT } from "./fixtures/stack";

const CLUSTER_DIR = path.join(REPO_ROOT, ".data", "e2e-cluster");
const DATA_PATH = "/api/data/markets/stablecoin-supply.json"; // $0.02, per request
const DATA_PRICE = 20_000n;

test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

let cluster: Cluster;
let chain: Cluster["chain"];
let db: Cluster["db"];
let chainConfig: ChainConfig;
let client: PublicClient;
let balancerUrl: string;
let instances: Cluster["instances"];

const balanceOf = (address: `0x${string}`) =>
  client.readContract({
    address: chainConfig.usdc,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [address],
  });

const signedHeader = (account: PrivateKeyAccount, url: string) =>
  signedPaymentHeader(account, url, chainConfig);

async function payThrough(account: PrivateKeyAccount, url: string): Promise<Response> {
  return fetch(url, { headers: { "payment-signature": await signedHeader(account, url) } });
}

async function cron(url: string) {
  const r = await fetch(`${url}/api/cron/reconcile`, {
    headers: { authorization: `Bearer ${CLUSTER_SECRETS.CRON_SECRET}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as { settled: number; examined: number; errors: number };
}

const readers = devnetReaders;

test.beforeAll(async () => {
  cluster = await startCluster({ size: 3, dir: CLUSTER_DIR, root: REPO_ROOT });
  ({ chain, db, chainConfig, balancerUrl, instances } = cluster);
  client = createPublicClient({ transport: http(chain.rpcUrl) }) as PublicClient;
});

test.afterAll(async () => {
  await cluster?.stop();
});

test("60 payments from 6 payers at concurrency 12 all settle, each once", async () => {
  const payers = readers(chain.devnet).slice(0, 6);
  const before = await Promise.all(payers.map((p) => balanceOf(p.address)));
  const jobs = Array.from({ length: 60 }, (_, i) => payers[i % payers.length]!);
  const statuses: number[] = [];
  const started = Date.now();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (cursor < jobs.length) {
        const payer = jobs[cursor++]!;
        const r = await payThrough(payer, balancerUrl + DATA_PATH);
        statuses.push(r.status);
        if (r.status !== 200) console.warn("cluster payment answered", r.status, await r.text());
      }
    }),
  );
  console.log(`cluster: 60 payments through 3 instances in ${Date.now() - started} ms`);
  expect(statuses.filter((s) => s === 200)).toHaveLength(60);
  const after = await Promise.all(payers.map((p) => balanceOf(p.address)));
  const spent = before.reduce((sum, b, i) => sum + (b - after[i]!), 0n);
  expect(spent).toBe(60n * DATA_PRICE);
  const settled = await settledPaymentsOf(db, payers);
  expect(settled).toHaveLength(60);
  expect(new Set(settled.map((p) => p.txHash)).size).toBe(60);
  expect(instances.every((i) => i.served >= 20)).toBe(true);
});

test("one payment header sent to all three instances at once collects one payment", async () => {
  const payer = readers(chain.devnet)[6]!;
  const header = await signedHeader(payer, balancerUrl + DATA_PATH);
  const before = await balanceOf(payer.address);
  const answers = await Promise.all(
    instances.map((i) => fetch(i.url + DATA_PATH, { headers: { "payment-signature": header } })),
  );
  const statuses = answers.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(2);
  expect(before - (await balanceOf(payer.address))).toBe(DATA_PRICE);
});

test("a receipt issued by one instance opens the article on the others", async () => {
  const payer = readers(chain.devnet)[7]!;
  const articlePath = "/api/articles/the-long-wait-for-402";
  const header = await signedHeader(payer, instances[0]!.url + articlePath);
  const paid = await fetch(instances[0]!.url + articlePath, { headers: { "payment-signature": header } });
  expect(paid.status).toBe(200);
  const receipt = paid.headers.get("kiosk-receipt");
  expect(receipt).toBeTruthy();
  for (const other of instances.slice(1)) {
    const r = await fetch(other.url + articlePath, { headers: { authorization: `Bearer ${receipt}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-kiosk-access")).toBe("receipt");
  }
});

test("failed attempts of one verified payer, spread over the instances, throttle as one limit", async () => {
  // A wallet with no USDC: its signatures verify, and every settlement is refused for want of funds.
  const broke = privateKeyToAccount(generatePrivateKey());
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) statuses.push((await payThrough(broke, balancerUrl + DATA_PATH)).status);
  // Twenty refusals in a minute (seven on each instance) are the limit; the 21st is throttled.
  expect(statuses.slice(0, 20).every((s) => s === 402)).toBe(true);
  expect(statuses[20]).toBe(429);
  for (const i of instances) {
    const r = await fetch(i.url + DATA_PATH, {
      headers: { "payment-signature": await signedHeader(broke, i.url + DATA_PATH) },
    });
    expect(r.status).toBe(429);
  }
});

test("the funnel counts of all three instances add up exactly after a flush", async () => {
  const resource = "article:clocks-that-disagree";
  const day = new Date().toISOString().slice(0, 10);
  const shown = async () =>
    (
      await db.db
        .select()
        .from(resourceStats)
        .where(and(eq(resourceStats.resource, resource), eq(resourceStats.day, day)))
    )[0]?.shown402 ?? 0;
  await Promise.all(instances.map((i) => cron(i.url)));
  const before = await shown();
  const unpaid = await Promise.all(
    Array.from({ length: 30 }, () => fetch(balancerUrl + "/api/articles/clocks-that-disagree")),
  );
  expect(unpaid.every((r) => r.status === 402)).toBe(true);
  await Promise.all(instances.map((i) => cron(i.url)));
  expect((await shown()) - before).toBe(30);
});

test("the reconcile route called on all three at once finishes each unfinished payment once", async () => {
  // Purchases that settled on chain, as left by instances that died before recording them.
  const slugs = ["what-a-penny-costs-to-move", "reading-the-tide-tables", "in-praise-of-the-marginal-note"];
  const buyers = readers(chain.devnet).slice(8, 10);
  for (const buyer of buyers)
    for (const slug of slugs)
      expect((await payThrough(buyer, `${balancerUrl}/api/articles/${slug}`)).status).toBe(200);
  const rows = await settledPaymentsOf(db, buyers);
  expect(rows).toHaveLength(6);
  const stranded = rows.map((r) => r.id);
  await db.db.delete(entitlements).where(inArray(entitlements.paymentId, stranded));
  await db.db
    .update(payments)
    .set({ status: "settling", txHash: null, settledAt: null, updatedAt: new Date(Date.now() - 120_000) })
    .where(inArray(payments.id, stranded));

  const results = await Promise.all(instances.map((i) => cron(i.url)));
  // No row is examined twice (a timer sweep inside an instance may have taken some first).
  expect(results.reduce((n, r) => n + r.examined, 0)).toBeLessThanOrEqual(6);
  expect(results.reduce((n, r) => n + r.errors, 0)).toBe(0);
  await expect
    .poll(async () =>
      (await db.db.select().from(payments).where(inArray(payments.id, stranded))).map((r) => r.status),
    )
    .toEqual(Array(6).fill("settled"));
  const after = await db.db.select().from(payments).where(inArray(payments.id, stranded));
  expect(after.every((r) => /^0x[0-9a-f]{64}$/.test(r.txHash ?? ""))).toBe(true);
  const grants = await db.db.select().from(entitlements).where(inArray(entitlements.paymentId, stranded));
  expect(grants.map((g) => g.paymentId).sort()).toEqual([...stranded].sort());
});

test("every instance reports itself healthy, with the shared relayer idle", async () => {
  for (const i of instances) {
    const r = await fetch(`${i.url}/api/health`);
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, failing: [] });
    expect(body.facilitator.relayer).toMatchObject({ pending: 0, paused: false });
  }
});

test("npm run smoke passes against the deployment, and fails by name against a dead one", async () => {
  const run = promisify(execFile);
  const ok = await run("npx", ["tsx", "scripts/smoke.ts", balancerUrl], { cwd: REPO_ROOT });
  expect(ok.stdout).toMatch(/^ok {4}health/m);
  expect(ok.stdout).toMatch(/^ok {4}catalog/m);
  expect(ok.stdout).toMatch(/^ok {4}402 offer: .* on eip155:/m);
  const dead = run("npx", ["tsx", "scripts/smoke.ts", "http://127.0.0.1:9"], { cwd: REPO_ROOT });
  await expect(dead).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/^FAIL {2}health/m) });
});
