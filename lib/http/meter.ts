// The free-read meter on the request side. proxy.ts runs `meterForPage` for a browser opening a
// priced article's HTML page without a receipt: when the publisher offers free reads and the
// browser has some left (its signed cookie, lib/meter.ts) and its IP address has not used up its
// bound (a counter in the shared database), the read is granted: the updated cookie is set and its
// token forwarded to the page, which verifies it again (`meteredReadOfPage`) before rendering the
// body. Everything else (the API, Bearer, Markdown, MCP, prefetches, HEAD) is never metered.
import "server-only";
import { articleResource, atTime } from "../content/catalog";
import { catalogFor } from "../content/catalog-cache";
import { METER_WINDOW_MS } from "../content/free-reads";
import { articleKey, articleSlugSchema } from "../content/resource-keys";
import { getDb } from "../db";
import type { ArticleWithPublisher } from "../db/queries";
import { env, trustedProxyHops } from "../env";
import { decideFreeRead, issueMeter, meterExpiry, meterOpens, readMeter, type FreeRead } from "../meter";
import { countFunnel } from "../payments/funnel";
import type { ReceiptSecrets } from "../verify";
import { meterCookie, METER_COOKIE, readCookie } from "./cookies";
import { siteOrigin } from "./origin";
import { clientIp, SHARED_IP, takeFromAllowance } from "./rate-limit";

/** Set by proxy.ts only (client copies are deleted first): the meter token of this very request. */
export const METER_HEADER = "x-kiosk-meter";

/**
 * Browsers per IP address the bound allows for (a household, a small office): an address gets this
 * many times the publisher's free reads per window, however many cookies it drops.
 */
export const METER_BROWSERS_PER_IP = 5;
/**
 * With no trusted proxy every client is one address to Kiosk (X-Forwarded-For is the client's own
 * claim), so the bound becomes one pool per publisher for the whole site: this many browsers' worth
 * of free reads per window, then nobody reads that publisher free until the window moves on.
 */
export const METER_SHARED_POOL_BROWSERS = 1000;

/**
 * A browser asking for the page itself: a GET of the document (Accept: text/html) or a client-side
 * navigation (RSC), with no Authorization (agents), not for Markdown (rewritten to the API route)
 * and not a prefetch (a link scrolled into view must not spend a read).
 */
export function isMeteredRequest(req: Request): boolean {
  if (req.method !== "GET") return false;
  const h = req.headers;
  if (h.has("authorization") || h.has("next-router-prefetch") || h.has("next-router-segment-prefetch"))
    return false;
  const purpose = `${h.get("sec-purpose") ?? ""} ${h.get("purpose") ?? ""}`;
  if (purpose.includes("prefetch")) return false;
  const accept = h.get("accept") ?? "";
  if (accept.includes("text/markdown")) return false;
  return accept.includes("text/html") || h.get("rsc") === "1";
}

/** The per-IP bound's key and size for a publisher allowing `allowance` free reads. */
export function ipBound(headers: Headers, hops: number, publisherId: number, allowance: number) {
  const ip = clientIp(headers, hops);
  const browsers = ip === SHARED_IP ? METER_SHARED_POOL_BROWSERS : METER_BROWSERS_PER_IP;
  return { key: `meter:${publisherId}:ip:${ip}`, allowance: allowance * browsers };
}

export type MeteredPage = { token: string; setCookie: string | null };

/**
 * proxy.ts's step for a page request without a valid receipt: the meter token that opens this
 * article (to forward to the page) and the cookie to set, or null (not metered, nothing left,
 * or the database is down: then the page stays locked, as it would have anyway).
 */
export async function meterForPage(
  req: Request,
  slug: string,
  now = new Date(),
): Promise<MeteredPage | null> {
  if (!isMeteredRequest(req)) return null;
  const parsed = articleSlugSchema.safeParse(slug);
  if (!parsed.success) return null;
  try {
    const e = env();
    const site = siteOrigin(e, req);
    if (site.kind !== "ok") return null;
    const db = await getDb();
    const row = await catalogFor(db).article(parsed.data);
    if (!row || !row.published || !isMetered(row, now)) return null;
    const publisherId = row.publisher.id;
    const allowance = row.publisher.freeReadsPerMonth;
    const { state } = await readMeter(
      readCookie(req.headers.get("cookie"), METER_COOKIE),
      e.receiptSecrets,
      now,
    );
    const decision = decideFreeRead(state, { publisherId, articleId: row.id, allowance, now });
    switch (decision.kind) {
      case "exhausted":
        return null;
      case "reread":
        return { token: readCookie(req.headers.get("cookie"), METER_COOKIE)!, setCookie: null };
      case "spend": {
        const bound = ipBound(req.headers, trustedProxyHops(), publisherId, allowance);
        if (!(await takeFromAllowance(bound.key, bound.allowance, METER_WINDOW_MS, now.getTime())))
          return null;
        const token = await issueMeter(decision.next, e.receiptSecrets, now);
        countFunnel(db, articleKey(row.slug), "freeReads", now.getTime());
        const maxAge = Math.ceil((meterExpiry(decision.next, now).getTime() - now.getTime()) / 1000);
        return { token, setCookie: meterCookie(token, { maxAge, secure: site.secure }) };
      }
      default: {
        const never: never = decision;
        return never;
      }
    }
  } catch (error) {
    console.warn("[kiosk] free-read meter unavailable:", error instanceof Error ? error.message : error);
    return null;
  }
}

/** A priced article (at `now`) of a publisher that offers free reads. */
export function isMetered(row: ArticleWithPublisher, now: Date): boolean {
  return row.publisher.freeReadsPerMonth > 0 && atTime(articleResource(row), now).priceAtomic > 0n;
}

/**
 * What the meter says on the page (a server component): `opens` when the token proxy.ts forwarded
 * (else the cookie) verifies and lists this article in its publisher's open window; `on` whenever
 * the publisher meters this article, so the paywall can say the free reads are used up.
 */
export async function meteredReadOfPage(
  headers: Headers,
  row: ArticleWithPublisher,
  secrets: ReceiptSecrets,
  now = new Date(),
): Promise<{ on: false } | { on: true; opens: FreeRead | null; of: number }> {
  if (!isMetered(row, now)) return { on: false };
  const token = headers.get(METER_HEADER) ?? readCookie(headers.get("cookie"), METER_COOKIE);
  const { state } = await readMeter(token, secrets, now);
  const allowance = row.publisher.freeReadsPerMonth;
  const opens = meterOpens(state, { publisherId: row.publisher.id, articleId: row.id, allowance, now });
  return { on: true, opens, of: allowance };
}
