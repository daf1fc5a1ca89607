// The free-read meter: a publisher may let each browser read a few of its priced articles free per
// 30 days. What a browser has read lives in one signed cookie (no account): per publisher, when its
// window opened and which articles were read in it. The cookie is a compact HS256 JWT (jose) under a
// key of its own, derived from the receipt secret, so a meter token can never pass for a receipt nor
// a receipt for a meter. Pure: no Next, no env, no database (the IP bound is lib/http/meter.ts).
//
// Anything that does not verify (edited, signed by another key, expired, for another deployment)
// is read as no cookie at all: it opens nothing it lists, and it is worth exactly what deleting
// the cookie is worth, which the per-IP bound in the database limits.
import { createHmac } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import { z } from "zod";
import { MAX_FREE_READS, METER_WINDOW_MS } from "./content/free-reads";
import { verifyingSecrets, type ReceiptSecrets } from "./verify";

/** Publishers a browser's cookie keeps meters for; the least recently used one is dropped past it. */
export const MAX_METERED_PUBLISHERS = 8;
const ISSUER = "kiosk-meter";

const publisherMeterSchema = z.object({
  /** Publisher id. */
  p: z.number().int().positive(),
  /** When this publisher's window opened, epoch seconds. */
  s: z.number().int().nonnegative(),
  /** Ids of the articles read free in the window, in order. */
  r: z.array(z.number().int().positive()).max(MAX_FREE_READS),
});
const meterClaimsSchema = z.object({ m: z.array(publisherMeterSchema).max(MAX_METERED_PUBLISHERS) });

export type PublisherMeter = { publisherId: number; windowStart: Date; reads: number[] };
/** What a browser has read free, most recently used publisher first. */
export type MeterState = { meters: PublisherMeter[] };
export const emptyMeter = (): MeterState => ({ meters: [] });

const keys = new WeakMap<Uint8Array, Uint8Array>();
/** The meter's own HMAC key from a receipt secret (HMAC-SHA256 of a fixed label; derived once). */
function meterKey(secret: Uint8Array): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(createHmac("sha256", secret).update("kiosk free-read meter v1").digest());
    keys.set(secret, key);
  }
  return key;
}

const windowEnd = (m: PublisherMeter) => m.windowStart.getTime() + METER_WINDOW_MS;
const open = (m: PublisherMeter, now: Date) => now.getTime() < windowEnd(m);

/** The cookie's value for `state`; windows that have closed are left out. */
export async function issueMeter(
  state: MeterState,
  secrets: ReceiptSecrets,
  now = new Date(),
): Promise<string> {
  const m = state.meters
    .filter((x) => open(x, now))
    .slice(0, MAX_METERED_PUBLISHERS)
    .map((x) => ({ p: x.publisherId, s: Math.floor(x.windowStart.getTime() / 1000), r: x.reads }));
  const jwt = new SignJWT({ m })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(meterExpiry({ meters: state.meters }, now).getTime() / 1000));
  if (secrets.audience) jwt.setAudience(secrets.audience);
  return jwt.sign(meterKey(secrets.current));
}

/** When the last open window of `state` closes (the cookie's lifetime). */
export function meterExpiry(state: MeterState, now: Date): Date {
  const ends = state.meters.filter((m) => open(m, now)).map(windowEnd);
  return new Date(ends.length ? Math.max(...ends) : now.getTime());
}

export type MeterRead = { state: MeterState; trusted: boolean };

/** The state a cookie holds; anything that does not verify reads as an empty meter (`trusted: false`). */
export async function readMeter(
  token: string | null | undefined,
  secrets: ReceiptSecrets,
  now = new Date(),
): Promise<MeterRead> {
  if (!token) return { state: emptyMeter(), trusted: true };
  if (token.length > 4096 || token.split(".").length !== 3) return { state: emptyMeter(), trusted: false };
  for (const secret of verifyingSecrets(secrets, now)) {
    try {
      const { payload } = await jwtVerify(token, meterKey(secret), {
        algorithms: ["HS256"],
        issuer: ISSUER,
        currentDate: now,
        clockTolerance: 0,
        ...(secrets.audience ? { audience: secrets.audience } : {}),
      });
      const claims = meterClaimsSchema.safeParse(payload);
      if (!claims.success) break;
      const meters = claims.data.m
        .map((x) => ({ publisherId: x.p, windowStart: new Date(x.s * 1000), reads: x.r }))
        // A window that opens in the future was not made by this clock: ignore it rather than trust it.
        .filter((x) => open(x, now) && x.windowStart.getTime() <= now.getTime());
      return { state: { meters }, trusted: true };
    } catch {
      // another secret may have signed it; otherwise it is not ours
    }
  }
  return { state: emptyMeter(), trusted: false };
}

/** This publisher's open window in `state`, or null. */
export function meterOf(state: MeterState, publisherId: number, now: Date): PublisherMeter | null {
  return state.meters.find((m) => m.publisherId === publisherId && open(m, now)) ?? null;
}

export type FreeRead = {
  /** How many free reads the publisher allows per window. */
  of: number;
  /** How many are left after this request. */
  left: number;
  /** When the window closes and the count starts again; null when no window has opened. */
  resetsAt: Date | null;
};

export type FreeReadDecision =
  /** Read free already in this window: open again, nothing spent. */
  | ({ kind: "reread" } & FreeRead)
  /** A new free read: `next` is the state to store once the read is granted. */
  | ({ kind: "spend"; next: MeterState } & FreeRead)
  /** Nothing left in the window: the paywall. */
  | ({ kind: "exhausted" } & FreeRead);

/**
 * What the meter says about `articleId` of `publisherId` for a publisher allowing `allowance`
 * (> 0) free reads per window. Pure: the caller stores `next` and applies the IP bound.
 */
export function decideFreeRead(
  state: MeterState,
  o: { publisherId: number; articleId: number; allowance: number; now: Date },
): FreeReadDecision {
  const of = Math.min(o.allowance, MAX_FREE_READS);
  const current = meterOf(state, o.publisherId, o.now);
  const reads = current?.reads ?? [];
  const left = Math.max(0, of - reads.length);
  const resetsAt = current ? new Date(windowEnd(current)) : null;
  if (current && reads.includes(o.articleId)) return { kind: "reread", of, left, resetsAt };
  if (left === 0) return { kind: "exhausted", of, left: 0, resetsAt };
  const updated: PublisherMeter = {
    publisherId: o.publisherId,
    windowStart: current?.windowStart ?? o.now,
    reads: [...reads, o.articleId],
  };
  const others = state.meters.filter((m) => m.publisherId !== o.publisherId && open(m, o.now));
  return {
    kind: "spend",
    next: { meters: [updated, ...others].slice(0, MAX_METERED_PUBLISHERS) },
    of,
    left: left - 1,
    resetsAt: new Date(windowEnd(updated)),
  };
}

/** Whether `state` opens `articleId` (read free in its publisher's open window, the meter still on). */
export function meterOpens(
  state: MeterState,
  o: { publisherId: number; articleId: number; allowance: number; now: Date },
): FreeRead | null {
  if (o.allowance <= 0) return null;
  const d = decideFreeRead(state, o);
  return d.kind === "reread" ? { of: d.of, left: d.left, resetsAt: d.resetsAt } : null;
}
