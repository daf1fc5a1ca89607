// The reader's sign-in, on the request side. A reader who signed in (one SIWE message, no
// transaction) carries a reader session cookie, apart from the studio's. When such a reader opens
// something the wallet holds without its receipt cookie (a new browser, cleared cookies), the
// receipt is minted there and then: one entitlement lookup, and one path-scoped cookie (the page's,
// or the API route's) of that one item. So a wallet with hundreds of purchases never holds hundreds of cookies, only those of
// what it actually opens on this browser.
import "server-only";
import { randomBytes } from "node:crypto";
import { loadPricedResource } from "../content/resources";
import { getDb } from "../db";
import type { Db } from "../db/client";
import { env } from "../env";
import { holds, type Purchase } from "../payments/entitlements";
import { receiptSetCookies } from "../payments/responses";
import { issueSession, verifySession } from "../studio/session";
import { issueReceipt, type ReceiptSecrets } from "../verify";
import { readerTokenFrom } from "./cookies";
import { siteOrigin } from "./origin";

/** A reader session token for `wallet` (which just proved itself with a fresh SIWE message). */
export function startReaderSession(wallet: string, secret: Uint8Array, now = new Date()): Promise<string> {
  return issueSession(wallet, randomBytes(16).toString("base64url"), secret, now, "reader");
}

/** The signed-in reader's wallet, from the Cookie header, or null (no session, expired, forged). */
export async function readerWallet(
  cookieHeader: string | null | undefined,
  site: { secure: boolean },
  secret: Uint8Array,
  now = new Date(),
): Promise<`0x${string}` | null> {
  const check = await verifySession(readerTokenFrom(cookieHeader, site), secret, now, "reader");
  return check.kind === "valid" ? check.session.wallet : null;
}

/**
 * The wallet's unexpired purchase of `resourceKey` made on this site's network (what a receipt can
 * be minted from), or null. A purchase on another network opens nothing here.
 */
export async function heldHere(
  db: Db,
  wallet: string,
  resourceKey: string,
  ctx: { caip2: string; now: Date },
): Promise<Purchase | null> {
  const purchase = await holds(db, wallet, resourceKey, ctx.now);
  return purchase && purchase.network === ctx.caip2 ? purchase : null;
}

export type MintedReceipt = { token: string; setCookies: string[]; purchase: Purchase };

/**
 * A receipt for `resourceKey` when `wallet` holds an unexpired purchase of it on this network,
 * with the Set-Cookie values that store it; null otherwise. The receipt states what was paid
 * then (price, transaction), not today's price.
 */
export async function mintReceipt(
  db: Db,
  wallet: string,
  resourceKey: string,
  ctx: {
    secrets: ReceiptSecrets;
    caip2: string;
    secure: boolean;
    now: Date;
    /** The path being opened: only its cookie is set (all of the resource's when absent). */
    path?: string;
  },
): Promise<MintedReceipt | null> {
  const purchase = await heldHere(db, wallet, resourceKey, ctx);
  if (!purchase) return null;
  const loaded = await loadPricedResource(db, resourceKey);
  if (!loaded) return null;
  const expiresAt = purchase.access.kind === "until" ? purchase.access.endsAt : null;
  const token = await issueReceipt(
    {
      sub: purchase.payer,
      res: resourceKey,
      amt: purchase.amountAtomic.toString(),
      net: purchase.network,
      tx: purchase.txHash ?? undefined,
    },
    expiresAt,
    ctx.secrets,
    ctx.now,
  );
  // Only the cookie of the path being opened (the page, or the API route): a reader who opens the
  // page never needs the API's copy, and each purchase then costs this browser one cookie.
  const setCookies = receiptSetCookies(token, loaded.resource, expiresAt, ctx).filter(
    (c) => !ctx.path || c.includes(`; Path=${ctx.path};`),
  );
  return { token, setCookies, purchase };
}

/**
 * proxy.ts's step for a request that names a resource and carries no valid receipt: the signed-in
 * reader's receipt, minted now, or null (no reader session, nothing held, or no database: then the
 * request goes on locked, as it would have anyway).
 */
export async function restoreForReader(
  req: Request,
  resourceKey: string,
  now = new Date(),
): Promise<MintedReceipt | null> {
  const e = env();
  const site = siteOrigin(e, req);
  if (site.kind !== "ok") return null;
  const wallet = await readerWallet(req.headers.get("cookie"), site, e.sessionSecret, now);
  if (!wallet) return null;
  try {
    const db = await getDb();
    return await mintReceipt(db, wallet, resourceKey, {
      secrets: e.receiptSecrets,
      caip2: e.network.caip2,
      secure: site.secure,
      now,
      path: new URL(req.url).pathname,
    });
  } catch (error) {
    console.warn(
      "[kiosk] could not restore a reader's receipt:",
      error instanceof Error ? error.message : error,
    );
    return null;
  }
}

/** The signed-in reader's wallet for a page (server component), from its request headers. */
export async function readerOfPage(headers: Headers, now = new Date()): Promise<`0x${string}` | null> {
  const e = env();
  const site = siteOrigin(e, new Request("http://localhost/", { headers }));
  if (site.kind !== "ok") return null;
  return readerWallet(headers.get("cookie"), site, e.sessionSecret, now);
}
