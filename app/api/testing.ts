// Calling the paid route handlers in tests wired from env (lib/devnet/route-testing.ts), and
// paying through them with the official x402 client. Nothing here is a fake.
import type { ClientEvmSigner } from "@x402/evm";
import { wrapFetchWithPayment } from "@x402/fetch";
import { and, count, eq } from "drizzle-orm";
import { createPublicClient, erc20Abi, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getDb } from "@/lib/db";
import { payments } from "@/lib/db/schema";
import type { TestDevnet } from "@/lib/devnet/testing";
import { officialClient } from "@/lib/payments/official-client";
import { GET as getArticle } from "./articles/[slug]/route";
import { GET as getData } from "./data/[...path]/route";

export const ORIGIN = "http://127.0.0.1:3000";

export const callArticle = (slug: string, headers?: HeadersInit) =>
  getArticle(new Request(`${ORIGIN}/api/articles/${slug}`, { headers }), {
    params: Promise.resolve({ slug }),
  });
export const callData = (p: string, headers?: HeadersInit) =>
  getData(new Request(`${ORIGIN}/api/data/${p}`, { headers }), {
    params: Promise.resolve({ path: p.split("/") }),
  });

/** Pays with the official x402 client through a route handler; returns the receipt it got. */
export async function buy(
  chain: TestDevnet,
  call: (headers?: HeadersInit) => Promise<Response>,
  url: string,
  /** Who pays: the first devnet reader unless told (a smart wallet's signer, say). */
  payer?: ClientEvmSigner,
): Promise<string> {
  const reader =
    payer ??
    privateKeyToAccount(chain.devnet.accounts.find((a) => a.role === "reader")!.privateKey as `0x${string}`);
  const paidFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      call(init?.headers ?? (input instanceof Request ? input.headers : undefined))) as typeof fetch,
    officialClient(reader, {
      caip2: "eip155:31337",
      chainId: 31337,
      v1Name: null,
      usdc: chain.devnet.usdc as `0x${string}`,
      usdcName: "USD Coin",
      usdcVersion: "2",
    }),
  );
  const paid = await paidFetch(url);
  if (paid.status !== 200) throw new Error(`buy: ${url} answered ${paid.status} ${await paid.text()}`);
  return paid.headers.get("kiosk-receipt")!;
}

/** The devnet's chain as the official client is set up for it. */
export const devnetChainConfig = (chain: TestDevnet) => ({
  caip2: "eip155:31337" as const,
  chainId: 31337,
  v1Name: null,
  usdc: chain.devnet.usdc as `0x${string}`,
  usdcName: "USD Coin",
  usdcVersion: "2",
});

/** The n-th reader account of the devnet. */
export const devnetReader = (chain: TestDevnet, n = 0) =>
  privateKeyToAccount(
    chain.devnet.accounts.filter((a) => a.role === "reader")[n]!.privateKey as `0x${string}`,
  );

/** A wallet's test-USDC balance, read from the chain. */
export const usdcBalanceOf = (chain: TestDevnet, address: `0x${string}`) =>
  createPublicClient({ transport: http(chain.rpcUrl) }).readContract({
    address: chain.devnet.usdc as `0x${string}`,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [address],
  });

/** How many payment rows a payer has for a resource key (any status). */
export async function paymentRowCount(payer: string, resource: string): Promise<number> {
  const [row] = await (
    await getDb()
  )
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.payer, payer.toLowerCase()), eq(payments.resource, resource)));
  return row!.n;
}
