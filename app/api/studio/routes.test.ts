// Every studio and auth route, called through its real handler with real Requests, a real
// (in-memory) PGlite and the real env module: no session → 401, another publisher's resource →
// 403, a cross-site mutation → 403, SIWE through the routes (and its refusals → 401), bad input →
// 400 with the message the form shows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/lib/db/client";
import { payments, payoutChanges } from "@/lib/db/schema";
import { payoutChangeMessage } from "@/lib/studio/payout-message";
import * as nonceRoute from "../auth/nonce/route";
import * as sessionRoute from "../auth/session/route";
import * as signoutRoute from "../auth/signout/route";
import * as verifyRoute from "../auth/verify/route";
import * as articleRoute from "./articles/[id]/route";
import * as articleSalesCsvRoute from "./articles/[id]/sales.csv/route";
import * as articleSalesRoute from "./articles/[id]/sales/route";
import * as articlesRoute from "./articles/route";
import * as endpointRoute from "./endpoints/[id]/route";
import * as endpointSalesCsvRoute from "./endpoints/[id]/sales.csv/route";
import * as endpointSalesRoute from "./endpoints/[id]/sales/route";
import * as endpointsRoute from "./endpoints/route";
import * as publisherRoute from "./publisher/route";
import * as allSalesCsvRoute from "./sales.csv/route";
import * as allSalesRoute from "./sales/route";
import { ANVIL_KEYS } from "@/lib/devnet/deploy"; // anvil's published test keys

const ORIGIN = "http://kiosk.test";
const alice = privateKeyToAccount(ANVIL_KEYS[1]);
const bob = privateKeyToAccount(ANVIL_KEYS[2]);
const carol = privateKeyToAccount(ANVIL_KEYS[3]);
const relayer = privateKeyToAccount(ANVIL_KEYS[5]);
const USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const dataDir = mkdtempSync(path.join(tmpdir(), "kiosk-studio-routes-"));
let handle: DbHandle;

// Routes without params take (req) only, which fits this type too.
type Handler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
type Init = { cookie?: string; origin?: string | null; body?: unknown; params?: { id: string } };

function call(handler: Handler, method: string, url: string, init: Init = {}): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  if (init.cookie) headers.set("cookie", init.cookie);
  // Browsers send Origin on every POST/PATCH/DELETE; a test that means "no Origin" passes null.
  const origin = init.origin === undefined ? (method === "GET" ? null : ORIGIN) : init.origin;
  if (origin) headers.set("origin", origin);
  const req = new Request(`${ORIGIN}${url}`, {
    method,
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  return handler(req, { params: Promise.resolve(init.params ?? { id: "" }) });
}

const cookieFrom = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

async function signIn(account: typeof alice): Promise<string> {
  const nonce = (await (await call(nonceRoute.POST, "POST", "/api/auth/nonce")).json()) as {
    nonce: string;
    domain: string;
    uri: string;
    chainId: number;
    statement: string;
  };
  const message = createSiweMessage({
    address: account.address,
    domain: nonce.domain,
    uri: nonce.uri,
    chainId: nonce.chainId,
    nonce: nonce.nonce,
    statement: nonce.statement,
    issuedAt: new Date(),
    version: "1",
  });
  const res = await call(verifyRoute.POST, "POST", "/api/auth/verify", {
    body: { message, signature: await account.signMessage({ message }) },
  });
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

let aliceCookie: string;
let bobCookie: string;
let carolCookie: string; // signed in, no publisher profile
let aliceArticleId: number;
let aliceEndpointId: number;

beforeAll(async () => {
  Object.assign(process.env, {
    KIOSK_DATA_DIR: dataDir,
    KIOSK_NETWORK: "local",
    RPC_URL: "http://127.0.0.1:9", // never asked: EOA signatures are checked without the chain
    USDC_ADDRESS: USDC,
    RELAYER_PRIVATE_KEY: ANVIL_KEYS[5],
    RECEIPT_SECRET: "a-test-secret-that-is-long-enough-0123456789",
  });
  delete process.env.PUBLIC_URL;
  delete process.env.DATABASE_URL;
  // lib/db/index.ts keeps the server's one connection here; hand it an in-memory database.
  handle = await openDb({ kind: "pglite", dataDir: null });
  (globalThis as unknown as { kioskDb?: Promise<DbHandle> }).kioskDb = Promise.resolve(handle);

  aliceCookie = await signIn(alice);
  bobCookie = await signIn(bob);
  carolCookie = await signIn(carol);
  expect(
    (
      await call(publisherRoute.POST, "POST", "/api/studio/publisher", {
        cookie: aliceCookie,
        body: { name: "Alice Press" },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call(publisherRoute.POST, "POST", "/api/studio/publisher", {
        cookie: bobCookie,
        body: { name: "Bob Daily" },
      })
    ).status,
  ).toBe(201);

  const created = await call(articlesRoute.POST, "POST", "/api/studio/articles", {
    cookie: aliceCookie,
    body: {
      title: "Alice's piece",
      slug: "alices-piece",
      body: "Opening.\n\nPaid part.",
      price: "0.05",
      accessWindow: "30d",
    },
  });
  expect(created.status).toBe(201);
  aliceArticleId = ((await created.json()) as { id: number }).id;
  const endpoint = await call(endpointsRoute.POST, "POST", "/api/studio/endpoints", {
    cookie: aliceCookie,
    body: {
      name: "Alice data",
      path: "alice/data.csv",
      format: "csv",
      content: "a,b\n1,2\n",
      price: "0.01",
      accessWindow: "per-request",
    },
  });
  expect(endpoint.status).toBe(201);
  aliceEndpointId = ((await endpoint.json()) as { id: number }).id;
});

afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every studio route and method, with params pointing at Alice's resources. */
const everyRoute = (): [string, Handler, string, string, { id: string }?, unknown?][] => [
  ["GET publisher", publisherRoute.GET, "GET", "/api/studio/publisher"],
  ["PATCH publisher", publisherRoute.PATCH, "PATCH", "/api/studio/publisher", undefined, { name: "X" }],
  ["POST publisher", publisherRoute.POST, "POST", "/api/studio/publisher", undefined, { name: "X" }],
  ["GET articles", articlesRoute.GET, "GET", "/api/studio/articles"],
  [
    "POST articles",
    articlesRoute.POST,
    "POST",
    "/api/studio/articles",
    undefined,
    { title: "t", slug: "t", body: "b", price: "1", accessWindow: "7d" },
  ],
  ["GET article", articleRoute.GET, "GET", "/api/studio/articles/:id", { id: String(aliceArticleId) }],
  [
    "PATCH article",
    articleRoute.PATCH,
    "PATCH",
    "/api/studio/articles/:id",
    { id: String(aliceArticleId) },
    { title: "Hijacked" },
  ],
  [
    "DELETE article",
    articleRoute.DELETE,
    "DELETE",
    "/api/studio/articles/:id",
    { id: String(aliceArticleId) },
  ],
  [
    "GET article sales",
    articleSalesRoute.GET,
    "GET",
    "/api/studio/articles/:id/sales",
    { id: String(aliceArticleId) },
  ],
  [
    "GET article sales.csv",
    articleSalesCsvRoute.GET,
    "GET",
    "/api/studio/articles/:id/sales.csv",
    { id: String(aliceArticleId) },
  ],
  ["GET endpoints", endpointsRoute.GET, "GET", "/api/studio/endpoints"],
  [
    "POST endpoints",
    endpointsRoute.POST,
    "POST",
    "/api/studio/endpoints",
    undefined,
    { name: "n", path: "p.json", format: "json", content: "{}", price: "1", accessWindow: "24h" },
  ],
  ["GET endpoint", endpointRoute.GET, "GET", "/api/studio/endpoints/:id", { id: String(aliceEndpointId) }],
  [
    "PATCH endpoint",
    endpointRoute.PATCH,
    "PATCH",
    "/api/studio/endpoints/:id",
    { id: String(aliceEndpointId) },
    { price: "0.01" },
  ],
  [
    "DELETE endpoint",
    endpointRoute.DELETE,
    "DELETE",
    "/api/studio/endpoints/:id",
    { id: String(aliceEndpointId) },
  ],
  [
    "GET endpoint sales",
    endpointSalesRoute.GET,
    "GET",
    "/api/studio/endpoints/:id/sales",
    { id: String(aliceEndpointId) },
  ],
  [
    "GET endpoint sales.csv",
    endpointSalesCsvRoute.GET,
    "GET",
    "/api/studio/endpoints/:id/sales.csv",
    { id: String(aliceEndpointId) },
  ],
  ["GET sales", allSalesRoute.GET, "GET", "/api/studio/sales"],
  ["GET sales.csv", allSalesCsvRoute.GET, "GET", "/api/studio/sales.csv"],
  ["GET session", sessionRoute.GET, "GET", "/api/auth/session"],
];

describe("no session", () => {
  it("is 401 on every studio route, with the error body", async () => {
    for (const [name, handler, method, url, params, body] of everyRoute()) {
      const res = await call(handler, method, url, { params, body });
      expect(res.status, name).toBe(401);
      expect(await res.json(), name).toEqual({
        error: { code: "not_signed_in", message: "Sign in to the studio first." },
      });
    }
  });

  it("is 401 with a forged, tampered or foreign cookie", async () => {
    const token = aliceCookie.split("=")[1] ?? "";
    const [h, p, s] = token.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({ sub: bob.address.toLowerCase(), iat: 1, exp: 9e9, iss: "kiosk", aud: "kiosk:studio" }),
    ).toString("base64url");
    for (const cookie of [
      "kiosk_studio=garbage",
      `kiosk_studio=${h}.${forgedPayload}.${s}`,
      `kiosk_studio=${h}.${p}.${(s ?? "").slice(0, -2)}AA`,
      `kiosk_receipt=${token}`,
    ]) {
      expect((await call(articlesRoute.GET, "GET", "/api/studio/articles", { cookie })).status, cookie).toBe(
        401,
      );
    }
  });
});

describe("another publisher's resources", () => {
  it("are 403 to publisher B on every route that names them, and stay untouched", async () => {
    for (const [name, handler, method, url, params, body] of everyRoute()) {
      if (!params?.id) continue;
      const res = await call(handler, method, url, { cookie: bobCookie, params, body });
      expect(res.status, name).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe("forbidden");
    }
    const mine = await call(articleRoute.GET, "GET", "", {
      cookie: aliceCookie,
      params: { id: String(aliceArticleId) },
    });
    expect(await mine.json()).toMatchObject({ title: "Alice's piece", price: { dollars: "0.05" } });
  });

  it("don't show up in B's lists or sales", async () => {
    const list = (await (
      await call(articlesRoute.GET, "GET", "", { cookie: bobCookie })
    ).json()) as unknown[];
    expect(list).toEqual([]);
    const csv = await (await call(allSalesCsvRoute.GET, "GET", "", { cookie: bobCookie })).text();
    expect(csv.trim().split("\r\n")).toHaveLength(1); // the header only
  });

  it("are 404 when nobody owns the id, or the id is not a number", async () => {
    expect(
      (await call(articleRoute.GET, "GET", "", { cookie: aliceCookie, params: { id: "999999" } })).status,
    ).toBe(404);
    expect(
      (await call(articleRoute.GET, "GET", "", { cookie: aliceCookie, params: { id: "1;drop" } })).status,
    ).toBe(404);
  });
});

describe("a wallet without a profile", () => {
  it("is signed in, can't touch publisher routes (403), and can create its profile paying out to itself", async () => {
    const session = (await (await call(sessionRoute.GET, "GET", "", { cookie: carolCookie })).json()) as {
      wallet: string;
      publisher: unknown;
    };
    expect(session).toMatchObject({ wallet: carol.address.toLowerCase(), publisher: null });
    const res = await call(articlesRoute.GET, "GET", "", { cookie: carolCookie });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: "forbidden", message: "Create your publisher profile first." },
    });
    const created = await call(publisherRoute.POST, "POST", "", {
      cookie: carolCookie,
      body: { name: "Carol", payTo: "" },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      name: "Carol",
      wallet: carol.address.toLowerCase(),
      payTo: carol.address.toLowerCase(),
    });
    expect(
      (await call(publisherRoute.POST, "POST", "", { cookie: carolCookie, body: { name: "Again" } })).status,
    ).toBe(409);
  });
});

describe("CSRF", () => {
  it("refuses mutations from another origin with 403, even with a valid session", async () => {
    const params = { id: String(aliceArticleId) };
    const res = await call(articleRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      params,
      origin: "https://evil.example",
      body: { title: "Pwned" },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: "forbidden", message: "This request came from another site." },
    });
    expect(
      (
        await call(publisherRoute.PATCH, "PATCH", "", {
          cookie: aliceCookie,
          origin: "null",
          body: { name: "Pwned" },
        })
      ).status,
    ).toBe(403);
    expect((await call(nonceRoute.POST, "POST", "", { origin: "https://evil.example" })).status).toBe(403);
    const same = await call(articleRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      params,
      body: { title: "Renamed by Alice" },
    });
    expect(same.status).toBe(200);
  });

  it("refuses a cross-site request that carries no Origin but says so in Sec-Fetch-Site", async () => {
    const req = new Request(`${ORIGIN}/api/studio/publisher`, {
      method: "PATCH",
      headers: { cookie: aliceCookie, "sec-fetch-site": "cross-site", "content-type": "application/json" },
      body: JSON.stringify({ name: "Pwned" }),
    });
    expect((await publisherRoute.PATCH(req)).status).toBe(403);
  });
});

describe("sign-in through the routes", () => {
  async function freshMessage(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
    const nonce = (await (await call(nonceRoute.POST, "POST", "")).json()) as {
      nonce: string;
      domain: string;
      uri: string;
      chainId: number;
    };
    return createSiweMessage({
      address: alice.address,
      domain: nonce.domain,
      uri: nonce.uri,
      chainId: nonce.chainId,
      nonce: nonce.nonce,
      issuedAt: new Date(),
      version: "1",
      ...overrides,
    });
  }
  const verify = async (message: string, signer = alice) =>
    call(verifyRoute.POST, "POST", "", {
      body: { message, signature: await signer.signMessage({ message }) },
    });

  it("binds the message to the request's host, and sets an HttpOnly SameSite=Lax cookie", async () => {
    const message = await freshMessage();
    expect(message.startsWith("kiosk.test wants you to sign in")).toBe(true);
    const res = await verify(message);
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^kiosk_studio=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/,
    );
    expect(await res.json()).toMatchObject({
      wallet: alice.address.toLowerCase(),
      publisher: { name: "Alice Press" },
    });
  });

  it("is 401 for a replayed message, another domain, an expired message and a bad signature", async () => {
    const used = await freshMessage();
    expect((await verify(used)).status).toBe(200);
    const cases: [string, Response][] = [
      ["replay", await verify(used)],
      ["domain", await verify(await freshMessage({ domain: "evil.example" }))],
      [
        "expired",
        await verify(
          await freshMessage({
            issuedAt: new Date(Date.now() - 60_000),
            expirationTime: new Date(Date.now() - 1_000),
          }),
        ),
      ],
      [
        "signature",
        await call(verifyRoute.POST, "POST", "", {
          body: {
            message: await freshMessage(),
            signature: await bob.signMessage({ message: "something else" }),
          },
        }),
      ],
    ];
    for (const [name, res] of cases) {
      expect(res.status, name).toBe(401);
      expect(res.headers.get("set-cookie"), name).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe("not_signed_in");
    }
  });

  it("is 400 for a body that is not the expected JSON", async () => {
    expect((await call(verifyRoute.POST, "POST", "", { body: "not json" })).status).toBe(400);
    expect((await call(verifyRoute.POST, "POST", "", { body: { message: 1 } })).status).toBe(400);
  });

  it("signs out server-side: the cookie is cleared, and a copy of the token no longer works (401)", async () => {
    const cookie = await signIn(alice);
    expect((await call(articlesRoute.GET, "GET", "", { cookie })).status).toBe(200);
    const res = await call(signoutRoute.POST, "POST", "", { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBe("kiosk_studio=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    // The token as an attacker copied it before the sign-out, replayed afterwards.
    const replayed = await call(articlesRoute.GET, "GET", "", { cookie });
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toEqual({
      error: { code: "not_signed_in", message: "This studio session was signed out; sign in again." },
    });
    // Alice's other session (another browser) is not affected.
    expect((await call(articlesRoute.GET, "GET", "", { cookie: aliceCookie })).status).toBe(200);
  });

  it("on https sets a __Host- cookie (Secure, Path=/, no Domain) and ignores a plain-named one", async () => {
    const secure = "https://kiosk.test";
    const post = (url: string, body?: unknown, cookie?: string) =>
      new Request(`${secure}${url}`, {
        method: "POST",
        headers: { origin: secure, "content-type": "application/json", ...(cookie && { cookie }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const nonce = (await (await nonceRoute.POST(post("/api/auth/nonce"))).json()) as {
      nonce: string;
      domain: string;
      uri: string;
      chainId: number;
    };
    const message = createSiweMessage({
      address: alice.address,
      domain: nonce.domain,
      uri: nonce.uri,
      chainId: nonce.chainId,
      nonce: nonce.nonce,
      issuedAt: new Date(),
      version: "1",
    });
    const res = await verifyRoute.POST(
      post("/api/auth/verify", { message, signature: await alice.signMessage({ message }) }),
    );
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(
      /^__Host-kiosk_studio=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/,
    );
    expect(setCookie).not.toMatch(/domain=/i);
    const token = setCookie.split(";")[0]!.slice("__Host-kiosk_studio=".length);
    const get = (cookie: string) =>
      sessionRoute.GET(new Request(`${secure}/api/auth/session`, { headers: { cookie } }));
    expect((await get(`__Host-kiosk_studio=${token}`)).status).toBe(200);
    // A sibling subdomain can set "kiosk_studio" for the parent domain; on https it counts for nothing.
    expect((await get(`kiosk_studio=${token}`)).status).toBe(401);
  });
});

describe("payout address changes", () => {
  const profile = async () =>
    (await (await call(publisherRoute.GET, "GET", "", { cookie: aliceCookie })).json()) as {
      id: number;
      payTo: string;
    };

  it("are 403 with the session alone, and the address stays", async () => {
    const res = await call(publisherRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      body: { payTo: carol.address },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: "forbidden",
        message: `Changing the payout address needs a fresh signature from your account wallet (${alice.address.toLowerCase()}); confirm the change with your wallet in the studio.`,
      },
    });
    expect((await profile()).payTo).toBe(alice.address.toLowerCase());
  });

  it("are 200 with the account wallet's signature naming this site and the new address, then logged", async () => {
    const { id } = await profile();
    const issuedAt = new Date().toISOString();
    const message = payoutChangeMessage({
      domain: "kiosk.test",
      origin: ORIGIN,
      chainId: 31337,
      publisherId: id,
      account: alice.address,
      payTo: carol.address,
      issuedAt,
    });
    const bySomeoneElse = await call(publisherRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      body: {
        payTo: carol.address,
        confirmation: { issuedAt, signature: await carol.signMessage({ message }) },
      },
    });
    expect(bySomeoneElse.status).toBe(403);
    const res = await call(publisherRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      body: {
        payTo: carol.address,
        confirmation: { issuedAt, signature: await alice.signMessage({ message }) },
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ payTo: carol.address.toLowerCase() });
    const [logged] = await handle.db.select().from(payoutChanges).where(eq(payoutChanges.publisherId, id));
    expect(logged).toMatchObject({
      oldPayTo: alice.address.toLowerCase(),
      newPayTo: carol.address.toLowerCase(),
      signer: alice.address.toLowerCase(),
      signedAt: new Date(issuedAt),
    });
    // Back to Alice's own wallet for the other tests, with a fresh confirmation.
    const later = new Date(Date.now() + 1_000).toISOString();
    const back = payoutChangeMessage({
      domain: "kiosk.test",
      origin: ORIGIN,
      chainId: 31337,
      publisherId: id,
      account: alice.address,
      payTo: alice.address,
      issuedAt: later,
    });
    const restored = await call(publisherRoute.PATCH, "PATCH", "", {
      cookie: aliceCookie,
      body: {
        payTo: alice.address,
        confirmation: { issuedAt: later, signature: await alice.signMessage({ message: back }) },
      },
    });
    expect(restored.status).toBe(200);
  });
});

describe("input", () => {
  it("answers 400 with the price rule the form shows", async () => {
    for (const [price, message] of [
      ["0", "A price must be at least $0.001."],
      ["0.0001", "A price must be at least $0.001."],
      ["-3", "A price can't be negative."],
      ["abc", "Enter a price in dollars, like 0.05."],
      ["0.1234567", "USDC has at most 6 decimal places."],
      ["5000000", "A price can be at most $1,000,000.00."],
    ]) {
      const res = await call(articleRoute.PATCH, "PATCH", "", {
        cookie: aliceCookie,
        params: { id: String(aliceArticleId) },
        body: { price },
      });
      expect(res.status, price).toBe(400);
      expect(await res.json(), price).toEqual({ error: { code: "bad_request", message } });
    }
  });

  it("answers 400 for a payout address that would lose the money: zero, the configured USDC, the relayer", async () => {
    for (const [payTo, message] of [
      ["0x0000000000000000000000000000000000000000", /^The zero address can't receive payments/],
      [USDC, /^That is the USDC token contract itself/],
      [relayer.address, /^That is this site's relayer/],
    ] as const) {
      const res = await call(publisherRoute.PATCH, "PATCH", "", { cookie: aliceCookie, body: { payTo } });
      expect(res.status, payTo).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, payTo).toBe("bad_request");
      expect(body.error.message, payTo).toMatch(message);
    }
    const profile = (await (await call(publisherRoute.GET, "GET", "", { cookie: aliceCookie })).json()) as {
      payTo: string;
    };
    expect(profile.payTo).toBe(alice.address.toLowerCase());
  });

  it("answers 400 for a body over the size limit, with or without Content-Length", async () => {
    const huge = JSON.stringify({ name: "x".repeat(2_000_000) });
    const res = await call(publisherRoute.PATCH, "PATCH", "", { cookie: aliceCookie, body: huge });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "bad_request", message: "The request body is too large." },
    });
    const chunked = new Request(`${ORIGIN}/api/studio/publisher`, {
      method: "PATCH",
      headers: { cookie: aliceCookie, origin: ORIGIN },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode("x".repeat(500_000)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect((await publisherRoute.PATCH(chunked)).status).toBe(400);
  });

  it("answers 400 for invalid JSON content in a data endpoint, and 409 for a taken slug", async () => {
    const bad = await call(endpointsRoute.POST, "POST", "", {
      cookie: bobCookie,
      body: {
        name: "n",
        path: "bob/x.json",
        format: "json",
        content: "{nope",
        price: "0.01",
        accessWindow: "per-request",
      },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^The content is not valid JSON/,
    );
    const taken = await call(articlesRoute.POST, "POST", "", {
      cookie: bobCookie,
      body: { title: "t", slug: "alices-piece", body: "b", price: "1", accessWindow: "7d" },
    });
    expect(taken.status).toBe(409);
  });
});

describe("sales routes", () => {
  it("report a sale with amount and transaction, in JSON and CSV", async () => {
    const tx = `0x${"ab".repeat(32)}`;
    await handle.db.insert(payments).values({
      method: "authorization",
      network: "eip155:31337",
      asset: "0xusdc",
      payer: bob.address.toLowerCase(),
      payTo: alice.address.toLowerCase(),
      nonce: "0x99",
      txHash: tx,
      amountAtomic: 50_000n,
      resource: "article:alices-piece",
      status: "settled",
      channel: "browser",
      settledAt: new Date(),
    });
    const params = { id: String(aliceArticleId) };
    const json = (await (
      await call(articleSalesRoute.GET, "GET", "", { cookie: aliceCookie, params })
    ).json()) as {
      sales: number;
      revenue: { display: string };
      recent: { txHash: string; amount: { display: string } }[];
    };
    expect(json).toMatchObject({
      sales: 1,
      revenue: { display: "$0.05" },
      recent: [{ txHash: tx, amount: { display: "$0.05" } }],
    });
    const csvRes = await call(articleSalesCsvRoute.GET, "GET", "", { cookie: aliceCookie, params });
    expect(csvRes.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csvRes.headers.get("content-disposition")).toBe(
      'attachment; filename="kiosk-sales-alices-piece.csv"',
    );
    expect(await csvRes.text()).toContain(
      `,article:alices-piece,${bob.address.toLowerCase()},0.05,50000,browser,authorization,eip155:31337,${tx}`,
    );
  });
});
