// `npm run bench:cluster`: payments through one production server and through three behind a
// round-robin balancer, on one private PostgreSQL and one private anvil chain (scripts/lib/
// cluster.ts). Each run: 60 payments (per-request data, $0.02) from 6 payers at concurrency 12,
// each an agent's whole exchange (402 probe, sign, paid request). Prints throughput, p50/p95
// and how many settled. The load generator shares the machine's cores with every server, so
// compare the rows with each other, not with a real deployment.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { devnetReaders, settledPaymentsOf, signedPaymentHeader, startCluster } from "./lib/cluster";
import { staleBuildReason } from "./lib/stack";

const PAYMENTS = 60;
const PAYERS = 6;
const CONCURRENCY = 12;
const DATA_PATH = "/api/data/markets/stablecoin-supply.json";
const ROOT = process.cwd();

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function runOnce(size: number) {
  const cluster = await startCluster({
    size,
    dir: path.join(ROOT, ".data", `bench-cluster-${size}`),
    root: ROOT,
  });
  try {
    const payers = devnetReaders(cluster.chain.devnet).slice(0, PAYERS);
    const url = cluster.balancerUrl + DATA_PATH;
    // Warm every instance (first requests compile routes and open pools).
    for (let i = 0; i < size * 2; i++) await fetch(url);
    const latencies: number[] = [];
    const statuses: number[] = [];
    let cursor = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < PAYMENTS) {
          const payer = payers[cursor++ % PAYERS]!;
          const t0 = performance.now();
          const header = await signedPaymentHeader(payer, url, cluster.chainConfig);
          const r = await fetch(url, { headers: { "payment-signature": header } });
          await r.arrayBuffer();
          latencies.push(performance.now() - t0);
          statuses.push(r.status);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const settled = await settledPaymentsOf(cluster.db, payers);
    latencies.sort((a, b) => a - b);
    return {
      size,
      perSecond: PAYMENTS / seconds,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      ok: statuses.filter((s) => s === 200).length,
      settled: settled.length,
    };
  } finally {
    await cluster.stop();
  }
}

async function main() {
  const stale = staleBuildReason(ROOT);
  if (stale) {
    console.log(`bench:cluster: building first (${stale})`);
    execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  }
  const rows = [];
  for (const size of [1, 3]) rows.push(await runOnce(size));
  console.log(
    `\n${PAYMENTS} payments, ${PAYERS} payers, concurrency ${CONCURRENCY}, one Postgres, one chain\n`,
  );
  console.log("instances | payments/s |   p50 ms |   p95 ms | 200s  | settled");
  console.log("----------|------------|----------|----------|-------|--------");
  for (const r of rows) {
    console.log(
      `${String(r.size).padStart(9)} | ${r.perSecond.toFixed(1).padStart(10)} | ${r.p50.toFixed(0).padStart(8)} | ${r.p95.toFixed(0).padStart(8)} | ${`${r.ok}/${PAYMENTS}`.padEnd(5)} | ${r.settled}/${PAYMENTS}`,
    );
  }
  if (rows.some((r) => r.settled !== PAYMENTS || r.ok !== PAYMENTS)) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
