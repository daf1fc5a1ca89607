// `npm run bench`: starts its own production stack (anvil + test USDC + PGlite + `next start`),
// measures Kiosk's payment paths over real HTTP, prints one table and stops everything.
// Figures are for comparing paths on the same machine, not absolute capacity: the load
// generator shares the two cores with the server.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { encodePaymentSignatureHeader, decodePaymentRequiredHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { createPublicClient, encodeFunctionData, http, parseAbi, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readDevnet } from "../lib/devnet/file";
import { authorizationTypedData } from "../lib/x402/authorization";
import { officialClient } from "../lib/payments/official-client";
import { loadPricedResource } from "../lib/content/resources";
import { flushFunnel } from "../lib/payments/funnel";
import { handlePaidRequest } from "../lib/payments/paid-request";
import { startHarness } from "../lib/payments/testing";
import type { ChainConfig } from "../lib/x402/requirements";

const PORT = Number(process.env.BENCH_PORT ?? 3400);
const ANVIL_PORT = Number(process.env.BENCH_ANVIL_PORT ?? 8745);
const DATA_DIR = path.resolve(".data/bench");
const LOG = path.resolve(".data/bench-stack.log");
const BASE = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = 8;

const FREE_ARTICLE = "how-kiosk-works";
const PAID_ARTICLE = "the-long-wait-for-402";
const OTHER_PAID_ARTICLE = "what-a-penny-costs-to-move";
const PER_REQUEST_DATA = "markets/stablecoin-supply.json";
const LIVE = "/api/health/live";
/** The documents built from the cached catalogue, each measured against the free article route. */
const CATALOGUE_DOCUMENTS = [
  "/.well-known/x402",
  "/openapi.json",
  "/llms.txt",
  "/llms-full.txt",
  "/sitemap.xml",
];

const usdcAbi = parseAbi([
  "function balanceOf(address) view returns (uint256)",
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)",
]);

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(path.dirname(LOG), { recursive: true });
  const log = openSync(LOG, "w");
  const stack = spawn("npx", ["tsx", "scripts/stack.ts", "start", "--fresh"], {
    env: { ...process.env, PORT: String(PORT), ANVIL_PORT: String(ANVIL_PORT), KIOSK_DATA_DIR: DATA_DIR },
    stdio: ["ignore", log, log],
    detached: true,
  });
  const exited = new Promise<never>((_, reject) =>
    stack.once("exit", (code) =>
      reject(new Error(`bench: the stack exited (code ${code}) before the bench finished; see ${LOG}`)),
    ),
  );
  const stop = () => {
    try {
      process.kill(-stack.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stop);
  process.on("SIGINT", () => process.exit(130));
  try {
    await Promise.race([waitFor(`${BASE}/api/articles`, 400_000), exited]);
    await Promise.race([run(), exited]);
  } finally {
    stop();
    await new Promise((r) => setTimeout(r, 1500));
  }
}

async function run() {
  const devnet = readDevnet(DATA_DIR);
  if (!devnet) throw new Error("bench: devnet.json missing after start");
  const chain: ChainConfig = {
    caip2: `eip155:${devnet.chainId}`,
    chainId: devnet.chainId,
    v1Name: null,
    usdc: devnet.usdc as Hex,
    usdcName: "USD Coin",
    usdcVersion: "2",
  };
  const readers = devnet.accounts
    .filter((a) => a.role === "reader")
    .map((a) => privateKeyToAccount(a.privateKey as Hex));
  const client = createPublicClient({ transport: http(devnet.rpcUrl) });
  const balance = (a: string) =>
    client.readContract({ address: chain.usdc, abi: usdcAbi, functionName: "balanceOf", args: [a as Hex] });
  const rows: Array<[string, string]> = [];

  // Warm up every route once (first compile of a route in `next start` is lazy work).
  for (const p of [
    LIVE,
    `/api/articles/${FREE_ARTICLE}`,
    `/api/articles/${PAID_ARTICLE}`,
    `/api/data/${PER_REQUEST_DATA}`,
    ...CATALOGUE_DOCUMENTS,
  ]) {
    await fetch(BASE + p).then((r) => r.arrayBuffer());
  }

  // A receipt for the paid article, bought with the official client.
  const paidFetch = wrapFetchWithPayment(fetch, officialClient(readers[0]!, chain));
  const bought = await paidFetch(`${BASE}/api/articles/${PAID_ARTICLE}`);
  if (bought.status !== 200)
    throw new Error(`bench: could not buy a receipt (${bought.status} ${await bought.text()})`);
  const token = bought.headers.get("kiosk-receipt")!;

  // 1 & 2: throughput against the liveness route (a constant answer through the same server,
  // proxy.ts included: the most a dynamic route can do here), interleaved so drift hits all alike.
  const free = `${BASE}/api/articles/${FREE_ARTICLE}`;
  const paid = `${BASE}/api/articles/${PAID_ARTICLE}`;
  const results = {
    live: [] as number[],
    free: [] as number[],
    receipt: [] as number[],
    unpaid: [] as number[],
  };
  const documents = new Map(CATALOGUE_DOCUMENTS.map((path) => [path, [] as number[]]));
  // Three interleaved rounds, best of each: on two shared cores single runs swing by ±15%.
  for (let round = 0; round < 3; round++) {
    results.live.push(await throughput(BASE + LIVE, {}, 200));
    results.free.push(await throughput(free, {}, 200));
    results.receipt.push(await throughput(paid, { cookie: `kiosk_receipt=${token}` }, 200));
    results.unpaid.push(await throughput(paid, {}, 402));
    for (const [path, xs] of documents) xs.push(await throughput(BASE + path, {}, 200));
  }
  const best = (xs: number[]) => Math.max(...xs);
  const live = best(results.live);
  const vsLive = (xs: number[]) =>
    `${best(xs).toFixed(0)}  (${(best(xs) / live).toFixed(2)}× liveness; target ≥ 0.80)`;
  rows.push(["liveness (/api/health/live) requests/s", live.toFixed(0)]);
  rows.push(["free article reads/s", vsLive(results.free)]);
  rows.push(["receipt-authorized reads/s", vsLive(results.receipt)]);
  rows.push(["unpaid 402s/s", vsLive(results.unpaid)]);
  for (const [path, xs] of documents) {
    rows.push([
      `${path} reads/s`,
      `${best(xs).toFixed(0)}  (${(best(xs) / best(results.free)).toFixed(2)}× free article; target ≥ 0.90)`,
    ]);
  }

  // 3: paid latency with the official client vs the floor (sign + send + mined, no HTTP).
  const dataUrl = `${BASE}/api/data/${PER_REQUEST_DATA}`;
  const paidTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const f = wrapFetchWithPayment(fetch, officialClient(readers[1 + (i % 3)]!, chain));
    const t0 = performance.now();
    const r = await f(dataUrl);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`bench: paid request answered ${r.status}`);
    paidTimes.push(performance.now() - t0);
  }
  const chainTimes = await floor(devnet, chain, readers[4]!, 30);
  // The protocol floor: the two HTTP round trips any x402 payment makes (the 402 probe, then the
  // paid retry; each timed as the probe itself) plus the transfer itself, sent and mined.
  const probeTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await (await fetch(dataUrl)).arrayBuffer();
    probeTimes.push(performance.now() - t0);
  }
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  rows.push([
    "paid request, official client p50/p95 ms",
    `${p(paidTimes, 0.5).toFixed(1)} / ${p(paidTimes, 0.95).toFixed(1)}`,
  ]);
  const floorP50 = 2 * p(probeTimes, 0.5) + p(chainTimes, 0.5);
  rows.push([
    "floor: 2 × 402 probe + raw transferWithAuthorization mined, p50 ms",
    `${floorP50.toFixed(1)}  (probe ${p(probeTimes, 0.5).toFixed(1)}, transfer ${p(chainTimes, 0.5).toFixed(1)})`,
  ]);
  rows.push(["paid p50 / floor p50", `${(p(paidTimes, 0.5) / floorP50).toFixed(2)}× (target ≤ 1.5)`]);

  // 4: 40 distinct payments from 4 payers, 8 at a time.
  const price = await priceOf(dataUrl);
  const publisherBefore = await balance(devnet.payTo);
  const payers = readers.slice(5, 9);
  const payloads = await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const required = decodePaymentRequiredHeader((await fetch(dataUrl)).headers.get("payment-required")!);
      return encodePaymentSignatureHeader(
        await officialClient(payers[i % 4]!, chain).createPaymentPayload(required),
      );
    }),
  );
  const t0 = performance.now();
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < payloads.length) {
        const header = payloads[next++]!;
        const r = await fetch(dataUrl, { headers: { "payment-signature": header } });
        await r.arrayBuffer();
        if (r.status === 200) ok++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const collected = (await balance(devnet.payTo)) - publisherBefore;
  rows.push([
    "40 payments, 4 payers, concurrency 8",
    `${ok}/40 settled, ${(ok / seconds).toFixed(1)} payments/s, publisher +${collected / price} prices`,
  ]);

  // 5: one payment header replayed 10× at once.
  const required = decodePaymentRequiredHeader((await fetch(dataUrl)).headers.get("payment-required")!);
  const header = encodePaymentSignatureHeader(
    await officialClient(readers[9]!, chain).createPaymentPayload(required),
  );
  const before = await balance(devnet.payTo);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => fetch(dataUrl, { headers: { "payment-signature": header } })),
  );
  const delivered = answers.filter((a) => a.status === 200).length;
  const copiesWithContent = answers.filter((a) => a.status === 200).length - 1;
  const statuses = answers
    .map((a) => a.status)
    .sort()
    .join(",");
  const replayCollected = ((await balance(devnet.payTo)) - before) / price;
  rows.push([
    "one header replayed 10× at once",
    `${replayCollected} payment(s) collected, content delivered ${delivered}×, copies with content ${Math.max(0, copiesWithContent)} (statuses ${statuses})`,
  ]);

  // 6: what one payment costs the chain and the database, counted in-process on the same code path.
  for (const [k, v] of await costPerPayment()) rows.push([k, v]);

  // 7: article bodies built to be slow: the save's parse and the preview's render of adversarial bodies.
  rows.push(
    ...(JSON.parse(
      execFileSync("npx", ["tsx", "scripts/bench-markdown.ts", "--json"], { encoding: "utf8" }),
    ) as Array<[string, string]>),
  );

  // 8: the reader library at 150 purchases: sign-in, and the cookies an article read then carries.
  rows.push(
    ...(JSON.parse(
      execFileSync("npx", ["tsx", "--conditions=react-server", "scripts/bench-library.ts", "--json"], {
        encoding: "utf8",
      }),
    ) as Array<[string, string]>),
  );

  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(
    "\nKiosk bench (" +
      new Date().toISOString() +
      ", " +
      SECONDS +
      " s per throughput run, concurrency " +
      CONCURRENCY +
      ")",
  );
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

/** RPC calls and database statements per payment: the paid-request wrapper on its own anvil + PGlite. */
async function costPerPayment(): Promise<Array<[string, string]>> {
  const h = await startHarness({ proxy: true });
  try {
    const out: Array<[string, string]> = [];
    let receipt: string | null = null;
    // The first payment of a fresh process also reads the relayer's nonce and the token's code
    // once; the later ones are each by a payer the process has not seen before.
    const cases = [
      ["article (lasting), first of the process", await h.article(PAID_ARTICLE), 0],
      ["data (per request)", await h.data(PER_REQUEST_DATA), 0],
      ["article (lasting), warm, new payer", await h.article(OTHER_PAID_ARTICLE), 1],
      ["data (per request), warm, new payer", await h.data(PER_REQUEST_DATA), 2],
    ] as const;
    for (const [label, res, reader] of cases) {
      const required = decodePaymentRequiredHeader((await h.request(res)).headers.get("payment-required")!);
      const payload = await h.pay(h.readers[reader]!, required);
      h.proxy!.reset();
      const queriesBefore = h.queries();
      const r = await h.request(res, {
        headers: { "payment-signature": encodePaymentSignatureHeader(payload) },
      });
      if (r.status !== 200) throw new Error(`bench: in-process payment answered ${r.status}`);
      receipt ??= r.headers.get("kiosk-receipt");
      const methods = new Map<string, number>();
      for (const c of h.proxy!.calls) methods.set(c.method, (methods.get(c.method) ?? 0) + 1);
      const detail = [...methods].map(([m, n]) => `${m.replace(/^eth_/, "")}×${n}`).join(", ");
      out.push([
        `per payment, ${label}`,
        `${h.proxy!.calls.length} RPC calls (${detail}); ${h.queries() - queriesBefore} database statements`,
      ]);
    }
    // The requests that do not pay, as the paid routes serve them (catalogue cache included), once warm.
    const serve = async (key: string, headers: Record<string, string>, expect: number) => {
      const loaded = (await loadPricedResource(h.db.db, key))!;
      const req = new Request(h.ctx.origin + loaded.resource.apiPath, { headers });
      const r = await handlePaidRequest(req, loaded.resource, loaded.produce, h.ctx);
      if (r.status !== expect) throw new Error(`bench: ${key} answered ${r.status}, expected ${expect}`);
    };
    const unpaid = [
      ["unpaid 402", `article:${PAID_ARTICLE}`, {}, 402],
      ["free read", `article:${FREE_ARTICLE}`, {}, 200],
      ["receipt read", `article:${PAID_ARTICLE}`, { cookie: `kiosk_receipt=${receipt}` }, 200],
    ] as const;
    for (const [, key, headers, status] of unpaid) await serve(key, headers, status);
    await flushFunnel(); // the funnel writes in batches every few seconds, not per request
    for (const [label, key, headers, status] of unpaid) {
      h.proxy!.reset();
      const queriesBefore = h.queries();
      for (let i = 0; i < 100; i++) await serve(key, headers, status);
      out.push([
        `per ${label}, warm (100 requests)`,
        `${h.proxy!.calls.length} RPC calls; ${h.queries() - queriesBefore} database statements`,
      ]);
    }
    return out;
  } finally {
    await flushFunnel(); // before its database closes
    await h.stop();
  }
}

async function priceOf(url: string): Promise<bigint> {
  const body = (await (await fetch(url)).json()) as { price: { amount: string } };
  return BigInt(body.price.amount);
}

async function throughput(url: string, headers: Record<string, string>, expect: number): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const r = await fetch(url, { headers });
        await r.arrayBuffer();
        if (r.status !== expect) throw new Error(`bench: ${url} answered ${r.status}, expected ${expect}`);
        count++;
      }
    }),
  );
  return count / SECONDS;
}

/** The cheapest way to move the same USDC: sign an authorization, send it from a funded key, wait until mined. */
async function floor(
  devnet: NonNullable<ReturnType<typeof readDevnet>>,
  chain: ChainConfig,
  payer: ReturnType<typeof privateKeyToAccount>,
  n: number,
) {
  const sender = privateKeyToAccount(devnet.accounts.find((a) => a.role === "deployer")!.privateKey as Hex);
  const client = createPublicClient({ transport: http(devnet.rpcUrl) });
  const times: number[] = [];
  let nonce = await client.getTransactionCount({ address: sender.address, blockTag: "pending" });
  const fee = ((await client.getBlock()).baseFeePerGas ?? 1_000_000_000n) * 2n + 1_000_000n;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const now = Math.floor(Date.now() / 1000);
    const message = {
      from: payer.address,
      to: devnet.payTo as Hex,
      value: 20_000n,
      validAfter: BigInt(now - 600),
      validBefore: BigInt(now + 300),
      nonce: ("0x" + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")) as Hex,
    };
    const signature = await payer.signTypedData(authorizationTypedData(chain, message));
    const raw = await sender.signTransaction({
      type: "eip1559",
      chainId: chain.chainId,
      to: chain.usdc,
      nonce: nonce++,
      gas: 250_000n,
      maxFeePerGas: fee,
      maxPriorityFeePerGas: 1_000_000n,
      data: encodeFunctionData({
        abi: usdcAbi,
        functionName: "transferWithAuthorization",
        args: [
          message.from,
          message.to,
          message.value,
          message.validAfter,
          message.validBefore,
          message.nonce,
          signature,
        ],
      }),
    });
    const hash = await client.sendRawTransaction({ serializedTransaction: raw });
    for (let delay = 10; ; delay = Math.min(delay * 2, 500)) {
      const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
      if (receipt) break;
      await new Promise((r) => setTimeout(r, delay));
    }
    times.push(performance.now() - t0);
  }
  return times;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`bench: ${url} did not answer within ${timeoutMs / 1000} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
