// Agents restore a purchase by signing in with their wallet (x402 sign-in-with-x), through the
// real article and data routes (anvil, PGlite, the in-process facilitator): the official client
// with the SDK's SIWX client extension pays once, then reads again by signing and is not charged
// (balance unchanged, no second payment row); a replayed, misdirected, expired or forged sign-in is
// 401, a wallet holding nothing is asked to pay, and a 402 still writes nothing.
import { decodePaymentRequiredHeader } from "@x402/core/http";
import {
  createSIWxClientExtension,
  createSIWxPayload,
  encodeSIWxHeader,
  type SIWxExtension,
} from "@x402/extensions/sign-in-with-x";
import { wrapFetchWithPayment } from "@x402/fetch";
import { and, count, eq } from "drizzle-orm";
import { createPublicClient, erc20Abi, http } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { seedDataEndpoints, seedPricedArticles } from "@/lib/db/seed-content";
import { payments, siwxNonces } from "@/lib/db/schema";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { officialClient } from "@/lib/payments/official-client";
import { paidContext } from "@/lib/payments/server";
import { siwxTarget } from "@/lib/payments/siwx-challenge";
import { loadPricedResource } from "@/lib/content/resources";
import { siwxChallenge } from "@/lib/x402/siwx";
import { callArticle, callData, ORIGIN } from "./testing";

let site: RouteTestSite;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-siwx-");
});
afterAll(() => site?.stop());

const [article, otherArticle] = seedPricedArticles;
const perRequest = seedDataEndpoints.find((d) => d.priceAtomic > 0n && d.accessWindowSeconds === null)!;
const articleUrl = (slug: string) => `${ORIGIN}/api/articles/${slug}`;

const reader = (n: number) =>
  privateKeyToAccount(
    site.chain.devnet.accounts.filter((a) => a.role === "reader")[n]!.privateKey as `0x${string}`,
  );
const chainConfig = () => ({
  caip2: "eip155:31337" as const,
  chainId: 31337,
  v1Name: null,
  usdc: site.chain.devnet.usdc as `0x${string}`,
  usdcName: "USD Coin",
  usdcVersion: "2",
});
const balanceOf = (who: PrivateKeyAccount) =>
  createPublicClient({ transport: http(site.chain.rpcUrl) }).readContract({
    address: site.chain.devnet.usdc as `0x${string}`,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [who.address],
  });
async function paymentRows(who: PrivateKeyAccount, resource: string) {
  const [row] = await (
    await getDb()
  )
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.payer, who.address.toLowerCase()), eq(payments.resource, resource)));
  return row!.n;
}
async function usedNonces() {
  const [row] = await (await getDb()).select({ n: count() }).from(siwxNonces);
  return row!.n;
}

/** The sign-in-with-x challenge of a fresh 402 for the article. */
async function challengeOf(slug: string): Promise<SIWxExtension> {
  const res = await callArticle(slug);
  expect(res.status).toBe(402);
  const required = decodePaymentRequiredHeader(res.headers.get("payment-required")!);
  return required.extensions!["sign-in-with-x"] as SIWxExtension;
}
async function signIn(challenge: SIWxExtension, who: PrivateKeyAccount, url: string): Promise<string> {
  const chain = challenge.supportedChains[0]!;
  return encodeSIWxHeader(
    await createSIWxPayload({ ...challenge.info, chainId: chain.chainId, type: chain.type }, who, url),
  );
}

it("an official client pays once, then signs in with its wallet and reads again without a charge", async () => {
  const agent = reader(0);
  const client = officialClient(agent, chainConfig());
  client.registerExtension(createSIWxClientExtension({ signers: [agent] }));
  const sent: Headers[] = [];
  const agentFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      sent.push(headers);
      return callArticle(article!.slug, headers);
    }) as typeof fetch,
    client,
  );
  const key = `article:${article!.slug}`;
  const before = await balanceOf(agent);

  // First visit: the client signs in first (the 402 offers it), holds nothing, is asked to pay, pays.
  const bought = await agentFetch(articleUrl(article!.slug));
  expect(bought.status).toBe(200);
  expect(bought.headers.get("x-kiosk-access")).toBe("paid");
  expect(sent.some((h) => h.has("sign-in-with-x"))).toBe(true);
  const afterPurchase = await balanceOf(agent);
  expect(before - afterPurchase).toBe(article!.priceAtomic);
  expect(await paymentRows(agent, key)).toBe(1);

  // Later, with no receipt kept: the 402's challenge, signed, reads it again. No payment is sent.
  sent.length = 0;
  const restored = await agentFetch(articleUrl(article!.slug));
  expect(restored.status).toBe(200);
  expect(restored.headers.get("x-kiosk-access")).toBe("entitlement");
  expect((await restored.json()).article.body).toContain(article!.secretSentence);
  expect(restored.headers.get("kiosk-receipt")).toBeTruthy();
  expect(sent.map((h) => h.has("sign-in-with-x"))).toEqual([false, true]);
  expect(sent.some((h) => h.has("payment-signature"))).toBe(false);
  expect(await balanceOf(agent)).toBe(afterPurchase);
  expect(await paymentRows(agent, key)).toBe(1);
});

it("refuses a replayed sign-in, one for another resource, an expired one and a forged one with 401", async () => {
  const agent = reader(1);
  const client = officialClient(agent, chainConfig());
  const paidFetch = wrapFetchWithPayment(
    ((input: RequestInfo | URL, init?: RequestInit) =>
      callArticle(
        article!.slug,
        init?.headers ?? (input instanceof Request ? input.headers : undefined),
      )) as typeof fetch,
    client,
  );
  expect((await paidFetch(articleUrl(article!.slug))).status).toBe(200);
  const nonces = await usedNonces();

  const header = await signIn(await challengeOf(article!.slug), agent, articleUrl(article!.slug));
  const first = await callArticle(article!.slug, { "sign-in-with-x": header });
  expect(first.status).toBe(200);
  expect(first.headers.get("x-kiosk-access")).toBe("entitlement");
  expect(await usedNonces()).toBe(nonces + 1);

  const replay = await callArticle(article!.slug, { "sign-in-with-x": header });
  expect(replay.status).toBe(401);
  expect((await replay.json()).error).toMatchObject({
    code: "not_signed_in",
    message: expect.stringMatching(/already used/),
  });

  // The article's challenge, signed, sent to another article (the agent bought only the first).
  const misdirected = await callArticle(otherArticle!.slug, {
    "sign-in-with-x": await signIn(await challengeOf(article!.slug), agent, articleUrl(article!.slug)),
  });
  expect(misdirected.status).toBe(401);
  expect((await misdirected.json()).error.message).toMatch(/another resource/);

  // A challenge the site issued six minutes ago (same key, same resource): expired.
  const ctx = await paidContext(new Request(articleUrl(article!.slug)));
  const loaded = (await loadPricedResource(ctx.db, `article:${article!.slug}`))!;
  const old = siwxChallenge(
    siwxTarget(ctx, loaded.resource, articleUrl(article!.slug)),
    new Date(Date.now() - 6 * 60_000),
  );
  const expired = await callArticle(article!.slug, {
    "sign-in-with-x": await signIn(old, agent, articleUrl(article!.slug)),
  });
  expect(expired.status).toBe(401);
  expect((await expired.json()).error.message).toMatch(/expired/);

  // Another wallet signs the challenge and claims to be the buyer.
  const forgedPayload = JSON.parse(
    Buffer.from(
      await signIn(await challengeOf(article!.slug), reader(2), articleUrl(article!.slug)),
      "base64",
    ).toString(),
  );
  forgedPayload.address = agent.address;
  const forged = await callArticle(article!.slug, {
    "sign-in-with-x": Buffer.from(JSON.stringify(forgedPayload)).toString("base64"),
  });
  expect(forged.status).toBe(401);
  expect((await forged.json()).error.message).toMatch(/not this wallet's/);

  const junk = await callArticle(article!.slug, { "sign-in-with-x": "not a sign-in" });
  expect(junk.status).toBe(400);
  // None of the refusals spent a nonce.
  expect(await usedNonces()).toBe(nonces + 1);
});

it("asks a wallet that holds nothing to pay (402 with a fresh challenge), and records nothing", async () => {
  const stranger = reader(3);
  const nonces = await usedNonces();
  const res = await callArticle(otherArticle!.slug, {
    "sign-in-with-x": await signIn(
      await challengeOf(otherArticle!.slug),
      stranger,
      articleUrl(otherArticle!.slug),
    ),
  });
  expect(res.status).toBe(402);
  const text = await res.text();
  expect(JSON.parse(text)).toMatchObject({
    reason: "siwx_nothing_held",
    error: expect.stringContaining(stranger.address.toLowerCase()),
  });
  expect(text).not.toContain(otherArticle!.secretSentence);
  const required = decodePaymentRequiredHeader(res.headers.get("payment-required")!);
  expect(required.extensions?.["sign-in-with-x"]).toBeTruthy();
  expect(await usedNonces()).toBe(nonces);
  expect(await paymentRows(stranger, `article:${otherArticle!.slug}`)).toBe(0);
});

it("offers sign-in on lasting purchases only: a pay-per-request dataset's 402 has no challenge", async () => {
  const challenge = await challengeOf(article!.slug);
  expect(challenge.info).toMatchObject({ uri: articleUrl(article!.slug), domain: "127.0.0.1:3000" });
  expect(challenge.supportedChains).toEqual([{ chainId: "eip155:31337", type: "eip191" }]);
  const data = await callData(perRequest.path);
  expect(data.status).toBe(402);
  const required = decodePaymentRequiredHeader(data.headers.get("payment-required")!);
  expect(required.extensions?.["sign-in-with-x"]).toBeUndefined();
});
