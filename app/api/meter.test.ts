// Metered free reads through proxy.ts and the article page, on the seeded PGlite (a real anvil
// behind it for the paid route): a publisher allowing 2 free reads lets a browser read 2 distinct
// priced articles, re-open them free, and then meets the paywall, with no priced body text in
// the page; the API, Bearer, Markdown and prefetches are never metered; a browser that drops or
// edits its cookie is held by the per-IP count in the database; the studio's funnel counts the
// free reads per article and in total. A publisher with the default (0) meters nothing.
process.env.TRUSTED_PROXY_HOPS = "1"; // before env() is first read: each test browser has its own IP

import { NextRequest } from "next/server";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { catalogChanged } from "@/lib/content/catalog-cache";
import { articleKey } from "@/lib/content/resource-keys";
import { getDb } from "@/lib/db";
import { publishers } from "@/lib/db/schema";
import { seedArticles } from "@/lib/db/seed-content";
import { startRouteTestSite, type RouteTestSite } from "@/lib/devnet/route-testing";
import { METER_COOKIE } from "@/lib/http/cookies";
import { METER_BROWSERS_PER_IP, METER_HEADER } from "@/lib/http/meter";
import { setRateLimitStore } from "@/lib/http/rate-limit";
import { databaseRateLimitStore } from "@/lib/http/rate-limit-db";
import { flushFunnel } from "@/lib/payments/funnel";
import { salesSummary } from "@/lib/studio/sales";
import { proxy } from "@/proxy";
import { callArticle, ORIGIN } from "./testing";

// The page reads the request through next/headers; outside Next there is no request, so the test
// hands it the headers proxy.ts forwarded (as Next does).
const pageRequest = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => pageRequest.headers }));

const priced = seedArticles.filter((a) => a.priceAtomic > 0n);
const [first, second, third] = priced as [(typeof priced)[0], (typeof priced)[0], (typeof priced)[0]];
const bodies = priced.map((a) => a.secretSentence);

let site: RouteTestSite;
let ipSeq = 0;
beforeAll(async () => {
  site = await startRouteTestSite("kiosk-meter-");
  const db = await getDb();
  // The shared store the server counts in, so the IP bound is the rate_counters table itself.
  setRateLimitStore(databaseRateLimitStore(getDb));
  await setFreeReads(db, 2);
});
afterAll(() => site?.stop());
beforeEach(() => {
  ipSeq++;
});

async function setFreeReads(db: Awaited<ReturnType<typeof getDb>>, n: number) {
  await db.update(publishers).set({ freeReadsPerMonth: n });
  catalogChanged(db); // as the studio does after its writes
}

/** A browser: its own address (through one trusted proxy) and a cookie jar for the meter. */
function browser(ip = `203.0.113.${ipSeq}`) {
  const jar: { meter: string | null } = { meter: null };
  return {
    jar,
    ip,
    /** Opens the article's page as Chromium would: proxy.ts, then the page with what it forwarded. */
    async open(slug: string, extra: Record<string, string> = {}) {
      const headers: Record<string, string> = {
        accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "x-forwarded-for": ip,
        ...(jar.meter ? { cookie: `${METER_COOKIE}=${jar.meter}` } : {}),
        ...extra,
      };
      const res = await proxy(new NextRequest(`${ORIGIN}/articles/${slug}`, { headers }));
      const set = res.headers.getSetCookie().find((c) => c.startsWith(`${METER_COOKIE}=`));
      if (set) jar.meter = set.split(";")[0]!.slice(METER_COOKIE.length + 1);
      const forwarded = res.headers.get(`x-middleware-request-${METER_HEADER}`);
      const html = await renderPage(slug, forwardedHeaders(res));
      return { html, setCookie: set ?? null, forwarded };
    },
  };
}

/** The request headers the page sees after proxy.ts, as Next applies them (its override list). */
function forwardedHeaders(res: Response): Record<string, string> {
  const names = (res.headers.get("x-middleware-override-headers") ?? "").split(",").filter(Boolean);
  return Object.fromEntries(names.map((n) => [n, res.headers.get(`x-middleware-request-${n}`) ?? ""]));
}

async function renderPage(slug: string, headers: Record<string, string>): Promise<string> {
  pageRequest.headers = new Headers(headers);
  const { default: ArticlePage } = await import("../articles/[slug]/page");
  return renderToStaticMarkup(await ArticlePage({ params: Promise.resolve({ slug }) }));
}

const noPricedBody = (html: string, except: string[] = []) =>
  bodies.filter((b) => !except.includes(b)).every((b) => !html.includes(b));

describe("metered free reads", () => {
  it("render the body of the first 2 distinct articles, re-open them free, then show the paywall with no body", async () => {
    const b = browser();
    const a1 = await b.open(first.slug);
    expect(a1.html).toContain(first.secretSentence);
    expect(a1.html).toContain("1 of 2 free reads left this month");
    const cookie = a1.setCookie!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/articles");
    expect(cookie).not.toContain("Secure"); // plain http here; https adds it

    const again = await b.open(first.slug);
    expect(again.html).toContain(first.secretSentence);
    expect(again.html).toContain("1 of 2 free reads left this month");
    expect(again.setCookie).toBeNull(); // nothing spent, nothing to store

    const a2 = await b.open(second.slug);
    expect(a2.html).toContain(second.secretSentence);
    expect(a2.html).toContain("0 of 2 free reads left this month");

    const a3 = await b.open(third.slug);
    expect(a3.forwarded).toBeNull();
    expect(a3.html).toContain('data-testid="locked-panel"');
    expect(a3.html).toContain("You have read your 2 free articles from");
    expect(noPricedBody(a3.html)).toBe(true);
    // Every other priced article is locked too, and the two read free still open.
    for (const a of priced.slice(3)) expect(noPricedBody((await b.open(a.slug)).html)).toBe(true);
    expect((await b.open(second.slug)).html).toContain(second.secretSentence);
  });

  it("never opens the API, Bearer, Markdown or a prefetch for free", async () => {
    const b = browser();
    await b.open(first.slug);
    const cookie = `${METER_COOKIE}=${b.jar.meter}`;
    // The API route with the browser's own meter cookie: still the 402, no body.
    const api = await callArticle(first.slug, { cookie });
    expect(api.status).toBe(402);
    expect(await api.text()).not.toContain(first.secretSentence);
    // proxy.ts never meters the API path, nor Markdown, Bearer or a prefetch of the page.
    const fresh = browser(`198.51.100.${ipSeq}`);
    const asked: Record<string, string>[] = [
      { accept: "text/markdown" },
      { authorization: "Bearer not-a-receipt" },
      { "next-router-prefetch": "1", rsc: "1" },
      { accept: "application/json" },
    ];
    for (const extra of asked) {
      const r = await fresh.open(second.slug, extra);
      expect(r.forwarded, JSON.stringify(extra)).toBeNull();
      expect(r.setCookie).toBeNull();
      expect(noPricedBody(r.html)).toBe(true);
    }
    const viaApi = await proxy(
      new NextRequest(`${ORIGIN}/api/articles/${second.slug}`, {
        headers: { accept: "text/html", "x-forwarded-for": fresh.ip },
      }),
    );
    expect(viaApi.headers.getSetCookie()).toEqual([]);
    // A client-side navigation (RSC) is a browser reading the page: it is metered like one.
    const nav = await fresh.open(second.slug, { rsc: "1", accept: "*/*" });
    expect(nav.html).toContain(second.secretSentence);
  });

  it("holds a browser that drops its cookie to its IP address's bound, and other addresses keep theirs", async () => {
    const ip = `192.0.2.${ipSeq}`;
    const allowance = 2 * METER_BROWSERS_PER_IP;
    for (let i = 0; i < allowance; i++) {
      const r = await browser(ip).open(priced[i % priced.length]!.slug); // a fresh jar every time
      expect(r.html, `free read ${i + 1}`).toContain(priced[i % priced.length]!.secretSentence);
    }
    const refused = await browser(ip).open(first.slug);
    expect(refused.forwarded).toBeNull();
    expect(refused.setCookie).toBeNull();
    expect(noPricedBody(refused.html)).toBe(true);
    expect((await browser(`192.0.2.${ipSeq + 100}`).open(first.slug)).html).toContain(first.secretSentence);
  });

  it("an edited cookie opens nothing it lists, and a client's own x-kiosk-meter header is dropped", async () => {
    const ip = `192.0.2.${ipSeq + 200}`;
    const honest = browser(ip);
    await honest.open(first.slug);
    // Use up the address's bound with cookie-less browsers.
    for (let i = 1; i < 2 * METER_BROWSERS_PER_IP; i++) await browser(ip).open(second.slug);
    const [h, p, s] = honest.jar.meter!.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { m: { r: number[] }[] };
    claims.m[0]!.r.push(claims.m[0]!.r[0]! + 1, claims.m[0]!.r[0]! + 2); // "I read these too"
    const forger = browser(ip);
    forger.jar.meter = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    for (const a of priced) expect(noPricedBody((await forger.open(a.slug)).html)).toBe(true);
    // The honest token sent as the internal header from another browser: proxy.ts drops it.
    const sneaky = await browser(ip).open(first.slug, { [METER_HEADER]: honest.jar.meter! });
    expect(sneaky.forwarded).toBeNull();
    expect(noPricedBody(sneaky.html)).toBe(true);
    // The honest browser itself still re-opens what it read.
    expect((await honest.open(first.slug)).html).toContain(first.secretSentence);
  });

  it("counts free reads in the studio's funnel, per article and in total", async () => {
    const db = await getDb();
    await flushFunnel();
    const one = await salesSummary(db, [articleKey(third.slug)]);
    const before = await salesSummary(
      db,
      priced.map((a) => articleKey(a.slug)),
    );
    await browser(`203.0.113.${ipSeq + 150}`).open(third.slug);
    await flushFunnel();
    expect((await salesSummary(db, [articleKey(third.slug)])).funnel.freeReads).toBe(
      one.funnel.freeReads + 1,
    );
    const after = await salesSummary(
      db,
      priced.map((a) => articleKey(a.slug)),
    );
    expect(after.funnel.freeReads).toBe(before.funnel.freeReads + 1);
    expect(before.funnel.freeReads).toBeGreaterThan(0);
  });

  it("is off at 0 (the default): no free read, no cookie", async () => {
    const db = await getDb();
    await setFreeReads(db, 0);
    try {
      const r = await browser().open(first.slug);
      expect(r.setCookie).toBeNull();
      expect(r.html).not.toContain("free read");
      expect(noPricedBody(r.html)).toBe(true);
    } finally {
      await setFreeReads(db, 2);
    }
  });
});
