// What /api/health reports: can this instance take payments right now? Each part is checked
// with a short timeout and named when it fails; nothing secret is included (the relayer's
// address and balance are public on chain anyway).
import { sql } from "drizzle-orm";
import type { PublicClient } from "viem";
import { appliedMigrations, latestMigrationMillis, SchemaBehindError, type Db } from "../db/client";
import type { Facilitator, FacilitatorStatus } from "./facilitator";

export type HealthCheck = { ok: boolean; ms: number; detail: string };

export type HealthReport = {
  ok: boolean;
  checkedAt: string;
  /** The parts that failed, by name; empty when ok. */
  failing: string[];
  database: HealthCheck & { schema: { applied: string | null; build: string } | null };
  rpc: HealthCheck & { chainId: number | null; blockNumber: string | null };
  facilitator: HealthCheck & { kind: Facilitator["name"]; relayer: FacilitatorStatus["relayer"] | null };
};

const CHECK_TIMEOUT_MS = 5_000;
const BEHIND = "schema behind this build: run `npm run db:migrate`";

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function timed<T>(
  work: () => Promise<T>,
  timeoutMs: number,
): Promise<{ value: T; ms: number } | { error: unknown; ms: number }> {
  const started = Date.now();
  try {
    return { value: await within(work(), timeoutMs), ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);

export async function checkHealth(deps: {
  db: () => Promise<Db>;
  chainClient: PublicClient;
  expectedChainId: number;
  facilitator: Facilitator;
  timeoutMs?: number;
}): Promise<HealthReport> {
  const timeoutMs = deps.timeoutMs ?? CHECK_TIMEOUT_MS;
  const needed = latestMigrationMillis();
  const build = new Date(needed).toISOString();

  const [database, rpc, facilitator] = await Promise.all([
    timed(async () => {
      const db = await deps.db();
      const { newest } = await appliedMigrations(
        async (text) => (await db.execute(sql.raw(text))) as unknown as { rows: unknown[] },
      );
      return newest || null;
    }, timeoutMs),
    timed(async () => {
      const [chainId, blockNumber] = await Promise.all([
        deps.chainClient.getChainId(),
        deps.chainClient.getBlockNumber(),
      ]);
      return { chainId, blockNumber };
    }, timeoutMs),
    timed(
      async (): Promise<FacilitatorStatus> =>
        deps.facilitator.status?.() ?? { ok: true, detail: "no status reported" },
      timeoutMs,
    ),
  ]);

  const report: HealthReport = {
    ok: false,
    checkedAt: new Date().toISOString(),
    failing: [],
    database:
      "value" in database
        ? {
            ok: (database.value ?? 0) >= needed,
            ms: database.ms,
            detail: (database.value ?? 0) >= needed ? "reachable, schema current" : BEHIND,
            schema: { applied: database.value ? new Date(database.value).toISOString() : null, build },
          }
        : {
            ok: false,
            ms: database.ms,
            detail:
              database.error instanceof SchemaBehindError
                ? BEHIND
                : `unreachable: ${firstLine(database.error)}`,
            schema: null,
          },
    rpc:
      "value" in rpc
        ? {
            ok: rpc.value.chainId === deps.expectedChainId,
            ms: rpc.ms,
            detail:
              rpc.value.chainId === deps.expectedChainId
                ? "reachable"
                : `wrong chain: ${rpc.value.chainId}, expected ${deps.expectedChainId}`,
            chainId: rpc.value.chainId,
            blockNumber: rpc.value.blockNumber.toString(),
          }
        : {
            ok: false,
            ms: rpc.ms,
            detail: `unreachable: ${firstLine(rpc.error)}`,
            chainId: null,
            blockNumber: null,
          },
    facilitator:
      "value" in facilitator
        ? {
            ok: facilitator.value.ok,
            ms: facilitator.ms,
            detail: facilitator.value.detail,
            kind: deps.facilitator.name,
            relayer: facilitator.value.relayer ?? null,
          }
        : {
            ok: false,
            ms: facilitator.ms,
            detail: `unreachable: ${firstLine(facilitator.error)}`,
            kind: deps.facilitator.name,
            relayer: null,
          },
  };
  report.failing = (["database", "rpc", "facilitator"] as const).filter((part) => !report[part].ok);
  report.ok = report.failing.length === 0;
  return report;
}
