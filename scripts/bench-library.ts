// The reader library at scale: a wallet with 150 purchases signs in (POST /api/reader/nonce, sign,
// POST /api/reader/verify) and opens each article through proxy.ts, which mints that article's
// receipt cookie. Measures the sign-in's p50/p95, the mint's p50, and the Cookie header a browser
// then sends on an article read (its cookie jar filled by every Set-Cookie, matched by path).
// Real route handlers and proxy.ts in process, on a private anvil and PGlite (lib/devnet/route-testing).
// `npm run bench` runs it in a child process with `--json`; alone it prints a table.
//   npx tsx --conditions=react-server scripts/bench-library.ts
import { NextRequest } from "next/server";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { POST as nonceRoute } from "../app/api/reader/nonce/route";
import { POST as verifyRoute } from "../app/api/reader/verify/route";
import { articleKey } from "../lib/content/resource-keys";
import { getDb } from "../lib/db";
import { articles, publishers } from "../lib/db/schema";
import { startRouteTestSite } from "../lib/devnet/route-testing";
import { recordTransferClaim } from "../lib/payments/store";
import { proxy } from "../proxy";

const PURCHASES = 150;
const SIGN_INS = 30;
const ORIGIN = "http://127.0.0.1:3000";

const post = (route: (req: Request) => Promise<Response>, path: string, body?: unknown) =>
  route(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function main(): Promise<Array<[string, string]>> {
  const site = await startRouteTestSite("kiosk-bench-library-");
  try {
    const db = await getDb();
    const [publisher] = await db.select().from(publishers).limit(1);
    if (!publisher) throw new Error("bench-library: the seed made no publisher");
    const reader = privateKeyToAccount(generatePrivateKey());
    const wallet = reader.address.toLowerCase();
    const slugs = Array.from({ length: PURCHASES }, (_, i) => `library-bench-${i}`);
    await db.insert(articles).values(
      slugs.map((slug, i) => ({
        publisherId: publisher.id,
        slug,
        title: `Library bench article ${i}`,
        teaser: "A teaser.",
        body: "The body.",
        priceAtomic: 10_000n,
        published: true,
        publishedAt: new Date(),
      })),
    );
    for (const [i, slug] of slugs.entries()) {
      await recordTransferClaim(
        db,
        {
          method: "transfer",
          network: "eip155:31337",
          asset: site.chain.devnet.usdc.toLowerCase(),
          payer: wallet,
          payTo: publisher.payTo,
          txHash: `0x${(i + 1).toString(16).padStart(64, "0")}`,
          amountAtomic: 10_000n,
          resource: articleKey(slug),
        },
        { grantsAccess: true, expiresAt: i % 2 ? null : new Date(Date.now() + 86_400_000) },
      );
    }
    const held = await db
      .select({ id: articles.id })
      .from(articles)
      .where(eq(articles.publisherId, publisher.id));
    if (held.length < PURCHASES) throw new Error("bench-library: articles missing");

    // Sign-in: what the browser waits for (the nonce, the wallet's signature, the verify).
    const signIns: number[] = [];
    let readerCookie = "";
    for (let i = 0; i <= SIGN_INS; i++) {
      const t0 = performance.now();
      const issued = (await (await post(nonceRoute, "/api/reader/nonce")).json()) as {
        nonce: string;
        expiresAt: string;
        domain: string;
        uri: string;
        chainId: number;
        statement: string;
      };
      const message = createSiweMessage({
        address: reader.address,
        domain: issued.domain,
        uri: issued.uri,
        chainId: issued.chainId,
        nonce: issued.nonce,
        statement: issued.statement,
        issuedAt: new Date(),
        expirationTime: new Date(issued.expiresAt),
        version: "1",
      });
      const res = await post(verifyRoute, "/api/reader/verify", {
        message,
        signature: await reader.signMessage({ message }),
      });
      if (res.status !== 200) throw new Error(`bench-library: sign-in answered ${res.status}`);
      readerCookie = res.headers.getSetCookie()[0]!.split(";")[0]!;
      if (i > 0) signIns.push(performance.now() - t0); // the first warms the routes
    }

    // Open every purchase once in one browser; the jar keeps each cookie with its path.
    const jar = new Map<string, { path: string; pair: string }>();
    const cookieFor = (pathname: string) =>
      [readerCookie, ...[...jar.values()].filter((c) => pathname === c.path).map((c) => c.pair)].join("; ");
    const mints: number[] = [];
    for (const slug of slugs) {
      const pathname = `/articles/${slug}`;
      const t0 = performance.now();
      const res = await proxy(
        new NextRequest(`${ORIGIN}${pathname}`, { headers: { cookie: cookieFor(pathname) } }),
      );
      mints.push(performance.now() - t0);
      const set = res.headers.getSetCookie();
      if (set.length !== 1) throw new Error(`bench-library: opening ${slug} set ${set.length} cookies`);
      for (const c of set)
        jar.set(`${/Path=([^;]+)/.exec(c)![1]}`, {
          path: /Path=([^;]+)/.exec(c)![1]!,
          pair: c.split(";")[0]!,
        });
    }
    // A re-read carries the receipt and mints nothing.
    const again = await proxy(
      new NextRequest(`${ORIGIN}/articles/${slugs[75]}`, {
        headers: { cookie: cookieFor(`/articles/${slugs[75]}`) },
      }),
    );
    if (again.headers.getSetCookie().length !== 0) throw new Error("bench-library: a re-read minted again");

    const cookieHeader = cookieFor(`/articles/${slugs[75]}`);
    return [
      [
        `reader sign-in, ${PURCHASES} purchases, p50/p95 ms (nonce + verify in process; target p50 < 300)`,
        `${pct(signIns, 0.5).toFixed(1)} / ${pct(signIns, 0.95).toFixed(1)}`,
      ],
      ["receipt minted on opening a held article (proxy.ts), p50 ms", pct(mints, 0.5).toFixed(1)],
      [
        `after opening all ${PURCHASES}: cookies in the jar, Cookie header of an article read`,
        `${jar.size + 1} cookies (browser cap ~180), Cookie header ${Buffer.byteLength(cookieHeader)} bytes (target: request headers well under 16 KB)`,
      ],
    ];
  } finally {
    await site.stop();
  }
}

main().then(
  (rows) => {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(rows));
    } else {
      for (const [k, v] of rows) console.log(`  ${k}  ${v}`);
    }
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
