// Wires the payment pieces from env once per process: facilitator, chain client, secrets.
import "server-only";
import { createPublicClient, http, type PublicClient } from "viem";
import { baseUrlFor } from "../content/listing";
import { getDb } from "../db";
import { env, EnvError } from "../env";
import { ApiError } from "../errors";
import { createHttpFacilitator, createInProcessFacilitator, type Facilitator } from "./facilitator";
import type { PaidContext } from "./paid-request";
import { reconcileUnfinished } from "./reconcile";

type Services = { facilitator: Facilitator; chainClient: PublicClient; swept: Promise<void> | null };

const globalForPayments = globalThis as unknown as { kioskPayments?: Services };

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
        })
      : createHttpFacilitator({ url: e.facilitator.url, cdp: e.facilitator.cdp });
  globalForPayments.kioskPayments = { facilitator, chainClient, swept: null };
  return globalForPayments.kioskPayments;
}

/** Finish whatever a previous process left half-settled; runs once, in the background. */
function sweepOnce(s: Services): void {
  s.swept ??= getDb()
    .then((db) => reconcileUnfinished(db, s.chainClient))
    .then((r) => {
      if (r.settled || r.released)
        console.info(`[kiosk] reconciled ${r.settled} settlement(s), released ${r.released}`);
    })
    .catch((error: unknown) => {
      s.swept = null; // try again on the next request
      console.warn("[kiosk] start-up reconciliation failed:", error instanceof Error ? error.message : error);
    });
}

export async function paidContext(req: Request): Promise<PaidContext> {
  let e;
  try {
    e = env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error("[kiosk]", error.message);
    throw new ApiError("not_configured", "Payments are not configured on this server; nothing was charged.");
  }
  const s = services();
  let db;
  try {
    db = await getDb();
  } catch (error) {
    console.error("[kiosk] database unavailable:", error instanceof Error ? error.message : error);
    // Fail closed: without the database no payment can be reserved or recorded.
    throw new ApiError(
      "database_unavailable",
      "The database is unavailable; nothing was charged. Try again shortly.",
    );
  }
  sweepOnce(s);
  return {
    db,
    facilitator: s.facilitator,
    chain: e.network,
    chainClient: s.chainClient,
    secrets: e.receiptSecrets,
    origin: baseUrlFor(e.publicUrl, req),
    secureCookies: e.nodeEnv === "production" && (e.publicUrl ?? req.url).startsWith("https:"),
  };
}

/** Called from instrumentation.ts when the server starts: open the database and reconcile. */
export function startupSweep(): void {
  try {
    sweepOnce(services());
  } catch (error) {
    console.warn("[kiosk] start-up reconciliation skipped:", error instanceof Error ? error.message : error);
  }
}
