// Restoring purchases by signing in, through the real sign-in routes and proxy.ts (anvil, PGlite,
// the in-process facilitator, the official client): a wallet that bought an article signs one SIWE
// message in a browser that holds no receipt, and its next request for the article gets the
// receipt minted there and then, with no payment; another wallet that signs in gets nothing; the
// reader session is not a studio session. GET /api/reader/holds answers "does this wallet hold it"
// only for the signed-in reader's own wallet.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { count, eq } from "drizzle-orm";
import { GET as studioSession } from "@/app/api/auth/session/route";
import { GET as pageReceipt } from "@/app/articles/[slug]/receipt/route";
import { buy, callArticle, ORIGIN } from "@/app/api/testing";
import { getDb } from "@/lib/db";
import { payments, publishers } from "@/lib/db/schema";
import { seedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { READER_COOKIE, RECEIPT_COOKIE, SESSION_COOKIE } from "@/lib/http/cookies";
import { recordTransferClaim } from "@/lib/payments/store";
import { proxy } from "@/proxy";
import { GET as holdsRoute } from "./holds/route";
import { POST as nonceRoute } from "./nonce/route";
import { POST as signoutRoute } from "./signout/route";
import { POST as verifyRoute } from "./verify/route";

let site: RouteTestSite;
let buyer: PrivateKeyAccount;
const article = seedArticles.find((a) => a.priceAtomic > 0n && a.slug !== "the-long-wait-for-402")!;
const other = seedArticles.find((a) => a.priceAtomic > 0n && a.slug !== article.slug)!;

beforeAll(async () => {
  site = await startRouteTestSite("kiosk-reader-restore-");
  buyer = privateKeyToAccount(
    site.chain.devnet.accounts.find((a) => a.role === "reader")!.privateKey as `0x${string}`,
  );
  await buy(
    site.chain,
    (headers) => callArticle(article.slug, headers),
    `${ORIGIN}/api/articles/${article.slug}`,
  );
});
afterAll(() => site?.stop());

const post = (route: (req: Request) => Promise<Response>, path: string, body?: unknown) =>
  route(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

/** The reader sign-in as the browser does it; the signed message and the verify route's answer. */
async function signIn(account: PrivateKeyAccount) {
  const issued = (await (await post(nonceRoute, "/api/reader/nonce")).json()) as {
    nonce: string;
    expiresAt: string;
    domain: string;
    uri: string;
    chainId: number;
    statement: string;
  };
  const message = createSiweMessage({
    address: account.address,
    domain: issued.domain,
    uri: issued.uri,
    chainId: issued.chainId,
    nonce: issued.nonce,
    statement: issued.statement,
    issuedAt: new Date(),
    expirationTime: new Date(issued.expiresAt),
    version: "1",
  });
  const body = { message, signature: await account.signMessage({ message }) };
  return { body, res: await post(verifyRoute, "/api/reader/verify", body) };
}

const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`));

async function signedInCookie(account: PrivateKeyAccount): Promise<string> {
  const { res } = await signIn(account);
  expect(res.status).toBe(200);
  return cookieValue(res, READER_COOKIE)!;
}

const openPage = (slug: string, cookie: string) =>
  proxy(new NextRequest(`${ORIGIN}/articles/${slug}`, { headers: { cookie } }));

async function settledPayments(): Promise<number> {
  const [row] = await (await getDb())
    .select({ n: count() })
    .from(payments)
    .where(eq(payments.status, "settled"));
  return row!.n;
}

describe("reader sign-in restores purchases", () => {
  it("a wallet that bought an article signs in on a fresh browser and opening the article mints its receipt, with no payment", async () => {
    const before = await settledPayments();
    const cookie = await signedInCookie(buyer);
    expect(cookie).toMatch(new RegExp(`^${READER_COOKIE}=`));

    const opened = await openPage(article.slug, cookie);
    const receipts = opened.headers.getSetCookie().filter((c) => c.startsWith(`${RECEIPT_COOKIE}=`));
    // One cookie, the page's: each purchase opened costs this browser one cookie, not two.
    expect(receipts.map((c) => /Path=([^;]+)/.exec(c)![1])).toEqual([`/articles/${article.slug}`]);
    expect(receipts.every((c) => c.includes("HttpOnly") && c.includes("SameSite=Lax"))).toBe(true);

    const token = receipts[0]!.split(";")[0]!.slice(RECEIPT_COOKIE.length + 1);
    const read = await callArticle(article.slug, { cookie: `${RECEIPT_COOKIE}=${token}` });
    expect(read.status).toBe(200);
    expect(read.headers.get("x-kiosk-access")).toBe("receipt");
    expect(((await read.json()) as { article: { body: string | null } }).article.body).toBeTruthy();
    expect(await settledPayments()).toBe(before);

    // The API route, opened by a script in the same browser, gets its own copy the same way.
    const api = await proxy(
      new NextRequest(`${ORIGIN}/api/articles/${article.slug}`, { headers: { cookie } }),
    );
    expect(api.headers.getSetCookie().map((c) => /Path=([^;]+)/.exec(c)![1])).toEqual([
      `/api/articles/${article.slug}`,
    ]);
  });

  it("mints nothing for an article the wallet did not buy, and nothing for a second wallet", async () => {
    const cookie = await signedInCookie(buyer);
    expect((await openPage(other.slug, cookie)).headers.getSetCookie()).toEqual([]);

    const stranger = privateKeyToAccount(generatePrivateKey());
    const strangerCookie = await signedInCookie(stranger);
    expect((await openPage(article.slug, strangerCookie)).headers.getSetCookie()).toEqual([]);
  });

  it("a signed-in reader downloads the signed receipt of a purchase never opened in this browser; another wallet cannot", async () => {
    const download = (cookie: string) =>
      pageReceipt(new Request(`${ORIGIN}/articles/${article.slug}/receipt`, { headers: { cookie } }), {
        params: Promise.resolve({ slug: article.slug }),
      });
    const mine = await download(await signedInCookie(buyer));
    expect(mine.status).toBe(200);
    expect(JSON.stringify(await mine.json())).toContain(buyer.address.toLowerCase());
    expect((await download(await signedInCookie(privateKeyToAccount(generatePrivateKey())))).status).toBe(
      401,
    );
  });

  it("a browser without a reader session, or with a forged one, stays locked", async () => {
    expect((await openPage(article.slug, "")).headers.getSetCookie()).toEqual([]);
    const forged = `${READER_COOKIE}=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIweDAwIn0.c2lnbmF0dXJl`;
    expect((await openPage(article.slug, forged)).headers.getSetCookie()).toEqual([]);
  });

  it("refuses a replayed sign-in message with 401", async () => {
    const { body, res } = await signIn(buyer);
    expect(res.status).toBe(200);
    const again = await post(verifyRoute, "/api/reader/verify", body);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
  });

  it("a reader session is not a studio session", async () => {
    const token = (await signedInCookie(buyer)).slice(READER_COOKIE.length + 1);
    const studio = await studioSession(
      new Request(`${ORIGIN}/api/auth/session`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }),
    );
    expect(studio.status).toBe(401);
  });

  it("signing out clears the reader session cookie", async () => {
    const res = await post(signoutRoute, "/api/reader/signout");
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(new RegExp(`^${READER_COOKIE}=; Path=/; .*Max-Age=0`));
  });
});

describe("GET /api/reader/holds: what the signed-in reader's own wallet holds", () => {
  const ask = (resource: string, cookie?: string) =>
    holdsRoute(
      new Request(`${ORIGIN}/api/reader/holds?resource=${encodeURIComponent(resource)}`, {
        headers: cookie ? { cookie } : {},
      }),
    );
  const held = async (res: Response) => {
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return ((await res.json()) as { held: boolean; wallet: string }).held;
  };

  it("answers 401 without a reader session, or with a forged one, whatever is asked", async () => {
    const key = `article:${article.slug}`;
    const none = await ask(key);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("not_signed_in");
    expect(
      (await ask(key, `${READER_COOKIE}=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIweDAwIn0.c2lnbmF0dXJl`)).status,
    ).toBe(401);
  });

  it("the wallet that bought the article: held; an article it did not buy: not held", async () => {
    const cookie = await signedInCookie(buyer);
    const res = await ask(`article:${article.slug}`, cookie);
    const body = (await res.clone().json()) as { wallet: string; resource: string };
    expect(body.wallet.toLowerCase()).toBe(buyer.address.toLowerCase());
    expect(body.resource).toBe(`article:${article.slug}`);
    expect(await held(res)).toBe(true);
    expect(await held(await ask(`article:${other.slug}`, cookie))).toBe(false);
  });

  it("another wallet signed in is told only about itself: the buyer's article is not held", async () => {
    const cookie = await signedInCookie(privateKeyToAccount(generatePrivateKey()));
    expect(await held(await ask(`article:${article.slug}`, cookie))).toBe(false);
  });

  it("a purchase whose access ran out is not held", async () => {
    const db = await getDb();
    const [publisher] = await db.select().from(publishers).limit(1);
    const lapsed = privateKeyToAccount(generatePrivateKey());
    await recordTransferClaim(
      db,
      {
        method: "transfer",
        network: "eip155:31337",
        asset: site.chain.devnet.usdc.toLowerCase(),
        payer: lapsed.address.toLowerCase(),
        payTo: publisher!.payTo,
        txHash: `0x${"e".repeat(64)}`,
        amountAtomic: other.priceAtomic,
        resource: `article:${other.slug}`,
      },
      { grantsAccess: true, expiresAt: new Date(Date.now() - 60_000) },
      new Date(Date.now() - 86_400_000),
    );
    expect(await held(await ask(`article:${other.slug}`, await signedInCookie(lapsed)))).toBe(false);
  });

  it("answers 400 for a resource that is not a resource key", async () => {
    const cookie = await signedInCookie(buyer);
    expect((await ask("deep-sea", cookie)).status).toBe(400);
    expect((await ask(`article:${"x".repeat(400)}`, cookie)).status).toBe(400);
  });
});
