// A Kiosk deployment in miniature, as serverless hosting runs it: N production servers
// (`next start`, the existing build) on one private PostgreSQL and one private anvil chain, behind
// a round-robin balancer that appends the client's address to X-Forwarded-For (the servers trust
// one hop). Used by the cluster e2e spec and `npm run bench:cluster`. Everything listens on
// loopback and stops with stop() (each server is its own process group).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import path from "node:path";
import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402/core/http";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { and, eq, inArray } from "drizzle-orm";
import { openDb, type DbHandle } from "../../lib/db/client";
import { payments } from "../../lib/db/schema";
import { seed } from "../../lib/db/seed";
import { startTestPostgres, type TestPostgres } from "../../lib/db/test-postgres";
import { writeDevnet, type Devnet } from "../../lib/devnet/file";
import { freePort, startTestDevnet, type TestDevnet } from "../../lib/devnet/testing";
import { officialHttpClient } from "../../lib/payments/official-client";
import type { ChainConfig } from "../../lib/x402/requirements";

export const CLUSTER_SECRETS = {
  RECEIPT_SECRET: "cluster-receipt-secret-0123456789abcdef",
  SESSION_SECRET: "cluster-session-secret-0123456789abcdef",
  CRON_SECRET: "cluster-cron-secret-0123456789",
};

export type ClusterInstance = { port: number; url: string; child: ChildProcess; served: number };

export type Cluster = {
  chain: TestDevnet;
  chainConfig: ChainConfig;
  pg: TestPostgres;
  db: DbHandle;
  balancerUrl: string;
  instances: ClusterInstance[];
  stop(): Promise<void>;
};

export async function startCluster(opts: { size: number; dir: string; root: string }): Promise<Cluster> {
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true });
  const [chain, pg] = await Promise.all([startTestDevnet(), startTestPostgres()]);
  const instances: ClusterInstance[] = [];
  let balancer: Server | null = null;
  const stop = async () => {
    for (const i of instances) {
      try {
        process.kill(-i.child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (balancer) await new Promise((r) => balancer!.close(r));
    await db?.close();
    await pg.stop();
    await chain.stop();
  };
  let db: DbHandle | null = null;
  try {
    db = await openDb({ kind: "postgres", url: pg.url }); // the deploy step: migrate once, then seed
    await seed(db.db, chain.devnet);
    const balancerPort = await freePort();
    const balancerUrl = `http://127.0.0.1:${balancerPort}`;
    for (let i = 0; i < opts.size; i++) {
      const dataDir = path.join(opts.dir, `instance-${i}`);
      mkdirSync(dataDir, { recursive: true });
      writeDevnet(dataDir, chain.devnet);
      const port = await freePort();
      const child = startInstance({
        root: opts.root,
        port,
        dataDir,
        databaseUrl: pg.url,
        publicUrl: balancerUrl,
      });
      instances.push({ port, url: `http://127.0.0.1:${port}`, child, served: 0 });
    }
    balancer = await startBalancer(balancerPort, instances);
    await Promise.all(instances.map((i) => waitUntilUp(i.url)));
    return {
      chain,
      chainConfig: {
        caip2: `eip155:${chain.devnet.chainId}`,
        chainId: chain.devnet.chainId,
        v1Name: null,
        usdc: chain.devnet.usdc as `0x${string}`,
        usdcName: "USD Coin",
        usdcVersion: "2",
      },
      pg,
      db,
      balancerUrl,
      instances,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startInstance(o: {
  root: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
}): ChildProcess {
  const log = createWriteStream(path.join(o.dataDir, "server.log"));
  const next = path.join(o.root, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [next, "start", "-p", String(o.port), "-H", "127.0.0.1"], {
    cwd: o.root,
    detached: true, // its own process group: stopped with everything it started
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      KIOSK_DATA_DIR: o.dataDir,
      DATABASE_URL: o.databaseUrl,
      PUBLIC_URL: o.publicUrl,
      TRUSTED_PROXY_HOPS: "1",
      ...CLUSTER_SECRETS,
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Round robin, as a platform's edge would: each request to the next instance, with X-Forwarded-For. */
function startBalancer(port: number, instances: ClusterInstance[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const target = instances[next++ % instances.length]!;
    target.served++;
    const forwarded = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": forwarded },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

async function waitUntilUp(url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}/api/articles`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** Asks for the offer at `url` and signs a payment for it with the official x402 client. */
export async function signedPaymentHeader(
  account: PrivateKeyAccount,
  url: string,
  chainConfig: ChainConfig,
): Promise<string> {
  const offer = await fetch(url);
  if (offer.status !== 402) throw new Error(`${url} answered ${offer.status}, not 402`);
  const required = decodePaymentRequiredHeader(offer.headers.get("payment-required")!);
  const payload = await officialHttpClient(account, chainConfig).createPaymentPayload(required);
  return encodePaymentSignatureHeader(payload);
}

/** The devnet's funded reader accounts. */
export const devnetReaders = (devnet: Devnet): PrivateKeyAccount[] =>
  devnet.accounts
    .filter((a) => a.role === "reader")
    .map((a) => privateKeyToAccount(a.privateKey as `0x${string}`));

/** The settled payments made by these accounts (what the chain should show one debit each for). */
export function settledPaymentsOf(db: DbHandle, accounts: { address: `0x${string}` }[]) {
  return db.db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.status, "settled"),
        inArray(
          payments.payer,
          accounts.map((a) => a.address.toLowerCase()),
        ),
      ),
    );
}
