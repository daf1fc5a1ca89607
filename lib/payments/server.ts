// Wires the payment pieces from env once per process: facilitator, chain client, secrets.
import "server-only";
import { after } from "next/server";
import { createPublicClient, http, type PublicClient } from "viem";
import { getDb } from "../db";
import { env, EnvError } from "../env";
import { openDatabase } from "../http/database";
import { ApiError } from "../http/errors";
import { baseUrlFor } from "../http/origin";
import { setRateLimitStore } from "../http/rate-limit";
import { databaseRateLimitStore, pruneRateCounters } from "../http/rate-limit-db";
import { createHttpFacilitator, createInProcessFacilitator, type Facilitator } from "./facilitator";
import type { PaidContext } from "./paid-request";
import { flushFunnel } from "./funnel";
import { checkHealth, type HealthReport } from "./health";
import { reconcileUnfinished } from "./reconcile";

type Services = {
  facilitator: Facilitator;
  chainClient: PublicClient;
  sweep: Promise<unknown> | null;
  lastSweepAt: number;
};

const globalForPayments = globalThis as unknown as { kioskPayments?: Services };

/** A paid request starts a sweep of unfinished payments at most this often per instance. */
const REQUEST_SWEEP_INTERVAL_MS = 60_000;
/** Long-lived servers (npm start, npm run dev) also sweep on this timer. */
const TIMER_SWEEP_INTERVAL_MS = 30_000;

function services(): Services {
  if (globalForPayments.kioskPayments) return globalForPayments.kioskPayments;
  const e = env();
  const chainClient = createPublicClient({
    // No block-number cache: confirmations and reconciliation need the chain's head, not a 4 s old one.
    cacheTime: 0,
    transport: http(e.network.rpcUrl, { timeout: 10_000, retryCount: 1 }),
  }) as PublicClient;
  const facilitator =
    e.facilitator.kind === "in-process"
      ? createInProcessFacilitator({
          rpcUrl: e.network.rpcUrl,
          chainId: e.network.chainId,
          network: e.network.caip2,
          relayerPrivateKey: e.facilitator.relayerPrivateKey,
          db: getDb,
          maxFeeGwei: e.facilitator.maxFeeGwei,
          walletFactories: e.facilitator.walletFactories,
        })
      : createHttpFacilitator({ url: e.facilitator.url, cdp: e.facilitator.cdp });
  globalForPayments.kioskPayments = { facilitator, chainClient, sweep: null, lastSweepAt: 0 };
  return globalForPayments.kioskPayments;
}

/**
 * Every instance shares the database's rate-limit counters rather than its own memory, so limits
 * hold across instances and restarts. Idempotent.
 */
function countLimitsInDatabase(): void {
  const g = globalThis as unknown as { kioskSharedLimits?: boolean };
  if (g.kioskSharedLimits) return;
  g.kioskSharedLimits = true;
  setRateLimitStore(databaseRateLimitStore(getDb));
}

/**
 * Sweeps unfinished payments now, unless one is running in this instance. Concurrent sweeps
 * elsewhere are fine: rows are leased (reconcileUnfinished). Resolves with the sweep's counts.
 */
export function sweepNow(): Promise<Awaited<ReturnType<typeof reconcileUnfinished>> | null> {
  const s = services();
  if (s.sweep) return s.sweep.then(() => null);
  s.lastSweepAt = Date.now();
  const run = getDb()
    .then((db) => reconcileUnfinished(db, s.chainClient))
    .then((r) => {
      if (r.settled || r.released)
        console.info(`[kiosk] reconciled ${r.settled} settlement(s), released ${r.released}`);
      return r;
    })
    .catch((error: unknown) => {
      console.warn("[kiosk] reconciliation failed:", error instanceof Error ? error.message : error);
      return null;
    })
    .finally(() => {
      s.sweep = null;
    });
  s.sweep = run;
  return run;
}

/**
 * The cron route's sweep: always runs (concurrent callers split the rows between them), then
 * drops expired rate-limit counters and flushes this instance's funnel counts.
 */
export async function cronSweep() {
  const s = services();
  const db = await getDb();
  s.lastSweepAt = Date.now();
  const reconciled = await reconcileUnfinished(db, s.chainClient);
  const prunedCounters = await pruneRateCounters(db);
  await flushFunnel();
  return { ...reconciled, prunedCounters };
}

/** Health checks are cached this long per instance, so a flood of probes costs nothing upstream. */
const HEALTH_TTL_MS = 10_000;

/** The health report of this instance (database, RPC, facilitator and relayer), cached ~10 s. */
export function healthReport(): Promise<HealthReport> {
  const g = globalThis as unknown as { kioskHealth?: { at: number; report: Promise<HealthReport> } };
  if (g.kioskHealth && Date.now() - g.kioskHealth.at < HEALTH_TTL_MS) return g.kioskHealth.report;
  const s = services();
  const report = checkHealth({
    db: getDb,
    chainClient: s.chainClient,
    expectedChainId: env().network.chainId,
    facilitator: s.facilitator,
  });
  g.kioskHealth = { at: Date.now(), report };
  return report;
}

/**
 * From a paid request: sweep if this instance has not lately. Inside a request the sweep runs in
 * Next's after(), so a serverless function stays alive until it is done and the reader's answer
 * does not wait for it; crons may run only daily on some plans, so requests are a second trigger.
 */
function sweepSoon(): void {
  const s = services();
  if (s.sweep || Date.now() - s.lastSweepAt < REQUEST_SWEEP_INTERVAL_MS) return;
  s.lastSweepAt = Date.now();
  try {
    after(() => sweepNow());
  } catch {
    void sweepNow(); // outside a request (tests, scripts): run in the background
  }
}

/** What every paid request shares. Only the origin and the cookie flag depend on the request. */
type ProcessContext = Omit<PaidContext, "origin" | "secureCookies"> & {
  publicUrl: string | null;
  production: boolean;
};

const globalForContext = globalThis as unknown as { kioskContext?: Promise<ProcessContext> };

/**
 * Built once per process (env parsed and checked, database opened, chain client, facilitator,
 * secrets) and shared by every request; a failure is not kept, so the next request tries again.
 */
function processContext(): Promise<ProcessContext> {
  globalForContext.kioskContext ??= buildProcessContext().catch((error: unknown) => {
    globalForContext.kioskContext = undefined;
    throw error;
  });
  return globalForContext.kioskContext;
}

async function buildProcessContext(): Promise<ProcessContext> {
  let e;
  try {
    e = env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error("[kiosk]", error.message);
    throw new ApiError("not_configured", "Payments are not configured on this server; nothing was charged.");
  }
  const s = services();
  const db = await openDatabase(); // fails closed: without it no payment can be reserved or recorded
  countLimitsInDatabase();
  return {
    db,
    facilitator: s.facilitator,
    chain: e.network,
    chainClient: s.chainClient,
    secrets: e.receiptSecrets,
    trustedProxyHops: e.trustedProxyHops,
    publicUrl: e.publicUrl,
    production: e.nodeEnv === "production",
  };
}

/** The process's chain client (no block-number cache), for reads outside a paid request: refunds. */
export function chainReader(): PublicClient {
  return services().chainClient;
}

export async function paidContext(req: Request): Promise<PaidContext> {
  const { publicUrl, production, ...shared } = await processContext();
  sweepSoon();
  return {
    ...shared,
    origin: baseUrlFor(publicUrl, req),
    secureCookies: production && (publicUrl ?? req.url).startsWith("https:"),
  };
}

/**
 * Called from instrumentation.ts when the server starts: count rate limits in the database,
 * finish what a previous process left half-done, and keep sweeping on a timer while it lives.
 * The timer is a convenience for long-lived servers; the cron route and requests also sweep.
 */
export function startServerTasks(): void {
  try {
    countLimitsInDatabase();
    void sweepNow();
    const g = globalThis as unknown as { kioskSweepTimer?: ReturnType<typeof setInterval> };
    g.kioskSweepTimer ??= setInterval(() => void sweepNow(), TIMER_SWEEP_INTERVAL_MS);
    g.kioskSweepTimer.unref?.();
  } catch (error) {
    console.warn("[kiosk] start-up tasks skipped:", error instanceof Error ? error.message : error);
  }
}
