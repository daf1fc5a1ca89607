// Readers whose wallet is a contract, through the real routes wired from env (anvil, PGlite, the
// in-process facilitator with the factories the devnet deployment names, the official x402
// client): a deployed ERC-1271 wallet and a counterfactual ERC-6492 one each pay an article
// gasless (one debit from the contract's USDC, the relayer deploying the counterfactual wallet
// first), get it again without paying, sign in to the studio and to restore purchases, and claim
// a plain transfer sent from the wallet with the wallet's signature.
import { decodePaymentResponseHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import { and, count, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import {
  createPublicClient,
  encodeFunctionData,
  erc20Abi,
  http,
  parseEventLogs,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testSmartWalletArtifact, testSmartWalletFactoryArtifact } from "@/contracts/artifacts";
import { getDb } from "@/lib/db";
import { payments, relayerTransactions } from "@/lib/db/schema";
import { seedPricedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import {
  counterfactualSmartWallet,
  deployedSmartWallet,
  type SmartWallet,
  type SmartWalletKind,
} from "@/lib/devnet/smart-wallets";
import { READER_COOKIE, RECEIPT_COOKIE, SESSION_COOKIE } from "@/lib/http/cookies";
import { claimMessage } from "@/lib/payments/claim-message";
import { officialClient } from "@/lib/payments/official-client";
import { proxy } from "@/proxy";
import { POST as studioNonce } from "./auth/nonce/route";
import { POST as studioVerify } from "./auth/verify/route";
import { POST as postClaim } from "./claims/route";
import { POST as readerNonce } from "./reader/nonce/route";
import { POST as readerVerify } from "./reader/verify/route";
import { callArticle, ORIGIN } from "./testing";

let site: RouteTestSite;
let chain: PublicClient;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-smart-wallets-");
  chain = createPublicClient({ transport: http(site.chain.rpcUrl) }) as PublicClient;
});
afterAll(() => site?.stop());

const STARTING_USDC = 5_000_000n; // $5
const chainConfig = () => ({
  caip2: "eip155:31337" as const,
  chainId: 31337,
  v1Name: null,
  usdc: site.chain.devnet.usdc as Address,
  usdcName: "USD Coin",
  usdcVersion: "2",
});
const usdcBalance = (who: Address) =>
  chain.readContract({
    address: site.chain.devnet.usdc as Address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [who],
  });
async function settledRows(payer: Address, resource: string): Promise<number> {
  const [row] = await (
    await getDb()
  )
    .select({ n: count() })
    .from(payments)
    .where(
      and(
        eq(payments.payer, payer.toLowerCase()),
        eq(payments.resource, resource),
        eq(payments.status, "settled"),
      ),
    );
  return row!.n;
}

/** Pays through the article route with the official client, signing as the smart wallet. */
function paidFetch(wallet: SmartWallet, slug: string) {
  const pay = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      callArticle(
        slug,
        init?.headers ?? (input instanceof Request ? input.headers : undefined),
      )) as typeof fetch,
    officialClient(wallet, chainConfig(), { paymentIdentifier: true }),
  );
  return pay(`${ORIGIN}/api/articles/${slug}`);
}

const post = (route: (req: Request) => Promise<Response>, path: string, body?: unknown) =>
  route(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

/** A SIWE sign-in as the browser does it (nonce route, then verify route), signed by the wallet. */
async function signIn(
  wallet: SmartWallet,
  routes: { nonce: typeof studioNonce; verify: typeof studioVerify; path: string },
) {
  const issued = (await (await post(routes.nonce, `${routes.path}/nonce`)).json()) as {
    nonce: string;
    expiresAt: string;
    domain: string;
    uri: string;
    chainId: number;
    statement: string;
  };
  const message = createSiweMessage({
    address: wallet.address,
    domain: issued.domain,
    uri: issued.uri,
    chainId: issued.chainId,
    nonce: issued.nonce,
    statement: issued.statement,
    issuedAt: new Date(),
    expirationTime: new Date(issued.expiresAt),
    version: "1",
  });
  return post(routes.verify, `${routes.path}/verify`, {
    message,
    signature: await wallet.signMessage({ message }),
  });
}
const studio = { nonce: studioNonce, verify: studioVerify, path: "/api/auth" };
const reader = { nonce: readerNonce, verify: readerVerify, path: "/api/reader" };
const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`));

/** Wallet-creation events the factory emitted in a transaction. */
async function walletsCreatedIn(hash: Hex) {
  const receipt = await chain.getTransactionReceipt({ hash });
  return parseEventLogs({
    abi: testSmartWalletFactoryArtifact.abi,
    eventName: "WalletCreated",
    logs: receipt.logs,
  });
}
const hasCode = async (address: Address) => ((await chain.getCode({ address })) ?? "0x") !== "0x";

describe.each<[SmartWalletKind, string, string, string]>([
  ["erc1271", seedPricedArticles[0]!.slug, seedPricedArticles[1]!.slug, "a deployed ERC-1271 wallet"],
  ["erc6492", seedPricedArticles[2]!.slug, seedPricedArticles[3]!.slug, "a counterfactual ERC-6492 wallet"],
])("%s: %s", (kind, slug, claimSlug, who) => {
  let wallet: SmartWallet;
  let settlement: Hex;
  const price = seedPricedArticles.find((a) => a.slug === slug)!.priceAtomic;

  beforeAll(async () => {
    wallet =
      kind === "erc1271"
        ? await deployedSmartWallet(site.chain.devnet, site.chain.rpcUrl, STARTING_USDC)
        : await counterfactualSmartWallet(site.chain.devnet, site.chain.rpcUrl, STARTING_USDC);
    expect(await hasCode(wallet.address)).toBe(kind === "erc1271");
  });

  it(`signs in to the studio and as a reader as ${who} (${kind === "erc6492" ? "not deployed yet" : "deployed"})`, async () => {
    const res = await signIn(wallet, studio);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { wallet: string }).wallet.toLowerCase()).toBe(
      wallet.address.toLowerCase(),
    );
    expect(cookieOf(res, SESSION_COOKIE)).toBeTruthy();
    // A key that does not own the wallet cannot sign in as it.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await signIn(
      { ...wallet, signMessage: async ({ message }) => wallet.wrap(await stranger.signMessage({ message })) },
      studio,
    );
    expect(forged.status).toBe(401);
    // The reader's sign-in takes the same signature check (here before any purchase).
    const asReader = await signIn(wallet, reader);
    expect(asReader.status, await asReader.clone().text()).toBe(200);
    expect(cookieOf(asReader, READER_COOKIE)).toBeTruthy();
  });

  it(`pays an article gasless from ${who}: 200 with the body, one debit from the contract, a receipt`, async () => {
    const relayer = site.chain.devnet.facilitator as Address;
    const relayerNonce = await chain.getTransactionCount({ address: relayer });
    const [walletBefore, publisherBefore] = await Promise.all([
      usdcBalance(wallet.address),
      usdcBalance(site.chain.devnet.payTo as Address),
    ]);
    const ownerEth = await chain.getBalance({ address: wallet.owner.address });

    const res = await paidFetch(wallet, slug);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { article: { slug: string; body: string | null } };
    expect(body.article.slug).toBe(slug);
    expect(body.article.body).toBeTruthy();
    expect(res.headers.get("kiosk-receipt")).toBeTruthy();
    expect(cookieOf(res, RECEIPT_COOKIE)).toBeTruthy();
    const settled = decodePaymentResponseHeader(res.headers.get("payment-response")!);
    expect(settled.success).toBe(true);
    expect(settled.payer?.toLowerCase()).toBe(wallet.address.toLowerCase());
    settlement = settled.transaction as Hex;
    expect((await chain.getTransactionReceipt({ hash: settlement })).status).toBe("success");

    expect(await usdcBalance(wallet.address)).toBe(walletBefore - price);
    expect(await usdcBalance(site.chain.devnet.payTo as Address)).toBe(publisherBefore + price);
    expect(await settledRows(wallet.address, `article:${slug}`)).toBe(1);
    // Gasless: the wallet's owner spent no gas; the relayer sent everything.
    expect(await chain.getBalance({ address: wallet.owner.address })).toBe(ownerEth);
    const sent = (await chain.getTransactionCount({ address: relayer })) - relayerNonce;

    if (kind === "erc6492") {
      // What happened on chain: the relayer first called the factory (one transaction that
      // created exactly this wallet), then settled from the now deployed wallet.
      expect(sent).toBe(2);
      expect(await hasCode(wallet.address)).toBe(true);
      expect(
        await chain.readContract({
          address: wallet.address,
          abi: testSmartWalletArtifact.abi,
          functionName: "owner",
        }),
      ).toBe(wallet.owner.address);
      const factoryCalls = (await (await getDb()).select().from(relayerTransactions)).filter(
        (tx) => tx.to.toLowerCase() === site.chain.devnet.walletFactory.toLowerCase(),
      );
      expect(factoryCalls).toHaveLength(1);
      const deployTx = { hash: factoryCalls[0]!.minedHash as Hex };
      expect(deployTx).toBeDefined();
      const created = await walletsCreatedIn(deployTx!.hash);
      expect(created.map((e) => (e.args as { wallet: Address }).wallet)).toEqual([wallet.address]);
      expect(await walletsCreatedIn(settlement)).toEqual([]);
    } else {
      expect(sent).toBe(1);
    }
  });

  it(`already yours: ${who} paying again without its cookie gets the article, charged nothing`, async () => {
    const before = await usdcBalance(wallet.address);
    const res = await paidFetch(wallet, slug);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-kiosk-access")).toBe("entitlement");
    expect(((await res.json()) as { article: { body: string | null } }).article.body).toBeTruthy();
    expect(cookieOf(res, RECEIPT_COOKIE)).toBeTruthy();
    expect(await usdcBalance(wallet.address)).toBe(before);
    expect(await settledRows(wallet.address, `article:${slug}`)).toBe(1);
  });

  it(`restores the purchase by signing in as ${who}: the article's receipt is minted, no payment`, async () => {
    const before = await usdcBalance(wallet.address);
    const res = await signIn(wallet, reader);
    expect(res.status, await res.clone().text()).toBe(200);
    const session = cookieOf(res, READER_COOKIE)!;
    const opened = await proxy(
      new NextRequest(`${ORIGIN}/articles/${slug}`, { headers: { cookie: session } }),
    );
    const minted = opened.headers.getSetCookie().find((c) => c.startsWith(`${RECEIPT_COOKIE}=`));
    expect(minted).toBeTruthy();
    const read = await callArticle(slug, { cookie: minted!.split(";")[0]! });
    expect(read.status).toBe(200);
    expect(read.headers.get("x-kiosk-access")).toBe("receipt");
    // Another article it never bought stays locked.
    const locked = await proxy(
      new NextRequest(`${ORIGIN}/articles/${claimSlug}`, { headers: { cookie: session } }),
    );
    expect(locked.headers.getSetCookie()).toEqual([]);
    expect(await usdcBalance(wallet.address)).toBe(before);
  });

  it(`claims a plain USDC transfer sent from ${who} with the wallet's signature`, async () => {
    const unpaid = await callArticle(claimSlug);
    expect(unpaid.status).toBe(402);
    const offer = (await unpaid.json()) as {
      payTo: Address;
      transferQuote: { token: string; amount: string };
    };
    const amount = BigInt(offer.transferQuote.amount);
    const before = await usdcBalance(wallet.address);
    const txHash = await wallet.execute(
      site.chain.devnet.usdc as Address,
      encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [offer.payTo, amount] }),
    );
    expect(await usdcBalance(wallet.address)).toBe(before - amount);

    const claim = async (signer: (message: string) => Promise<Hex>) => {
      const issuedAt = new Date().toISOString();
      const message = claimMessage({
        origin: ORIGIN,
        resource: `article:${claimSlug}`,
        txHash,
        chainId: site.chain.devnet.chainId,
        issuedAt,
      });
      return post(postClaim, "/api/claims", {
        resource: `/api/articles/${claimSlug}`,
        txHash,
        signature: await signer(message),
        quote: offer.transferQuote.token,
        issuedAt,
      });
    };
    // A key that does not own the wallet, signing as the wallet would, did not send it: refused.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await claim(async (message) => wallet.wrap(await stranger.signMessage({ message })));
    expect(forged.status).toBe(402);
    expect(((await forged.json()) as { reason: string }).reason).toBe("not-sender");

    const res = await claim((message) => wallet.signMessage({ message }));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { article: { body: string | null } }).article.body).toBeTruthy();
    expect(res.headers.get("kiosk-receipt")).toBeTruthy();
    const [row] = await (await getDb())
      .select({ payer: payments.payer, method: payments.method })
      .from(payments)
      .where(eq(payments.txHash, txHash));
    expect(row).toEqual({ payer: wallet.address.toLowerCase(), method: "transfer" });
  });
});
