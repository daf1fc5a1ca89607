// A real payment stack for tests and the benchmark: a private anvil chain with the test USDC,
// an in-memory PGlite with the seed catalog, the in-process facilitator, and helpers to pay
// with the official x402 client. Nothing here is a fake.
import { createPublicClient, http, parseAbi, type PublicClient } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { articleResource, dataResource, type PricedResource } from "../content/catalog";
import { openDb, type DbHandle } from "../db/client";
import { getArticleBySlug, getDataEndpointByPath } from "../db/queries";
import { seed } from "../db/seed";
import { startAnvil } from "../devnet/anvil";
import { deployDevnet } from "../devnet/deploy";
import { startRpcProxy, type RpcProxy } from "../devnet/rpc-proxy";
import { freePort, startTestDevnet, type TestDevnet } from "../devnet/testing";
import type { DevnetAccount } from "../devnet/file";
import { receiptAudience } from "../verify";
import type { ChainConfig } from "../x402/requirements";
import type { PaymentPayload, PaymentRequired } from "../x402/types";
import { createInProcessFacilitator, type Facilitator } from "./facilitator";
import { officialClient } from "./official-client";
import { handlePaidRequest, type Content, type PaidContext } from "./paid-request";

export const usdcAbi = parseAbi([
  "function balanceOf(address) view returns (uint256)",
  "function authorizationState(address, bytes32) view returns (bool)",
  "function transfer(address to, uint256 value) returns (bool)",
]);

export type Harness = {
  chain: TestDevnet;
  /** With `{ proxy: true }`: the JSON-RPC proxy every chain call of the harness goes through. */
  proxy: RpcProxy | null;
  /** Statements sent to the database so far. */
  queries(): number;
  db: DbHandle;
  ctx: PaidContext;
  facilitator: Facilitator & { relayer: { address: `0x${string}` } };
  client: PublicClient;
  readers: PrivateKeyAccount[];
  unfunded: PrivateKeyAccount;
  article(slug: string): Promise<PricedResource>;
  data(path: string): Promise<PricedResource>;
  /**
   * Calls the paid-request wrapper as the article route does, counting how often content is
   * produced; `ctx` overrides parts of the context (another facilitator, say).
   */
  request(
    resource: PricedResource,
    init?: { headers?: Record<string, string>; ctx?: Partial<PaidContext> },
  ): Promise<Response>;
  produced: Map<string, number>;
  balance(address: string): Promise<bigint>;
  /** Signs with the official client; `paymentIdentifier` echoes an x402 payment-identifier as Kiosk's paywall does. */
  pay(
    account: PrivateKeyAccount,
    required: PaymentRequired,
    opts?: { paymentIdentifier?: boolean },
  ): Promise<PaymentPayload>;
  stop(): Promise<void>;
};

export const ORIGIN = "http://kiosk.test";

export async function startHarness(
  opts: { blockTime?: number; chainId?: number; v1Name?: string; databaseUrl?: string; proxy?: boolean } = {},
): Promise<Harness> {
  const chain = opts.chainId ? await devnetOnChain(opts.chainId) : await startTestDevnet(opts);
  const proxy = opts.proxy ? await startRpcProxy(chain.rpcUrl) : null;
  const rpcUrl = proxy?.url ?? chain.rpcUrl;
  let queries = 0;
  const onQuery = () => void queries++;
  const db = opts.databaseUrl
    ? await openDb({ kind: "postgres", url: opts.databaseUrl, onQuery })
    : await openDb({ kind: "pglite", dataDir: null, onQuery });
  await seed(db.db, chain.devnet);
  const chainConfig: ChainConfig = {
    caip2: `eip155:${chain.devnet.chainId}`,
    chainId: chain.devnet.chainId,
    v1Name: opts.v1Name ?? null,
    usdc: chain.devnet.usdc as `0x${string}`,
    usdcName: "USD Coin",
    usdcVersion: "2",
  };
  const relayerKey = chain.devnet.accounts.find((a) => a.role === "relayer")!.privateKey as `0x${string}`;
  const facilitator = createInProcessFacilitator({
    rpcUrl,
    chainId: chainConfig.chainId,
    network: chainConfig.caip2,
    relayerPrivateKey: relayerKey,
    db: db.db,
    walletFactories: [chain.devnet.walletFactory as `0x${string}`],
  });
  const client = createPublicClient({ cacheTime: 0, transport: http(rpcUrl) }) as PublicClient;
  const ctx: PaidContext = {
    db: db.db,
    facilitator,
    chain: chainConfig,
    chainClient: client,
    secrets: {
      current: new TextEncoder().encode("test-secret-test-secret-test-secret!"),
      previous: null,
      audience: receiptAudience(chainConfig.caip2, ORIGIN),
    },
    origin: ORIGIN,
    secureCookies: false,
  };
  const keyOf = (a: DevnetAccount) => privateKeyToAccount(a.privateKey as `0x${string}`);
  const readers = chain.devnet.accounts.filter((a) => a.role === "reader").map(keyOf);
  const unfunded = keyOf(chain.devnet.accounts.find((a) => a.role === "unfunded")!);
  const produced = new Map<string, number>();

  return {
    chain,
    proxy,
    queries: () => queries,
    db,
    ctx,
    facilitator,
    client,
    readers,
    unfunded,
    produced,
    async article(slug) {
      const row = await getArticleBySlug(db.db, slug);
      if (!row) throw new Error(`no article ${slug}`);
      return articleResource(row);
    },
    async data(path) {
      const row = await getDataEndpointByPath(db.db, path);
      if (!row) throw new Error(`no data endpoint ${path}`);
      return dataResource(row);
    },
    request(resource, init = {}) {
      const req = new Request(ORIGIN + resource.apiPath, { headers: init.headers });
      return handlePaidRequest(
        req,
        resource,
        async (): Promise<Content> => {
          produced.set(resource.key, (produced.get(resource.key) ?? 0) + 1);
          return { contentType: "application/json", body: JSON.stringify({ ok: resource.key }) };
        },
        { ...ctx, ...init.ctx },
      );
    },
    balance: (address) =>
      client.readContract({
        address: chain.devnet.usdc as `0x${string}`,
        abi: usdcAbi,
        functionName: "balanceOf",
        args: [address as `0x${string}`],
      }),
    async pay(account, required, opts) {
      return officialClient(account, chainConfig, opts).createPaymentPayload(required);
    },
    async stop() {
      await proxy?.close();
      await db.close();
      await chain.stop();
    },
  };
}

/** A private anvil with another chain id (e.g. 84532, so x402 v1 clients can name it "base-sepolia"). */
async function devnetOnChain(chainId: number): Promise<TestDevnet> {
  const anvil = await startAnvil({ port: await freePort(), chainId });
  const devnet = await deployDevnet(anvil.rpcUrl).catch(async (error: unknown) => {
    await anvil.stop();
    throw error;
  });
  return { devnet, rpcUrl: anvil.rpcUrl, stop: anvil.stop };
}

export { officialClient, officialHttpClient } from "./official-client";
