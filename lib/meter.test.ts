// The free-read meter's cookie and its count: a browser reads N distinct priced articles of a
// publisher free per 30 days, re-opening one costs nothing, the count starts again when the window
// closes, and a cookie that was edited, signed by another key or made for another site opens
// nothing it lists and is worth no more than no cookie at all.
import { describe, expect, it } from "vitest";
import { METER_WINDOW_MS, freeReadsLeftLabel } from "./content/free-reads";
import {
  decideFreeRead,
  emptyMeter,
  issueMeter,
  MAX_METERED_PUBLISHERS,
  meterOpens,
  readMeter,
  type MeterState,
} from "./meter";
import { issueReceipt, type ReceiptSecrets } from "./verify";

const secrets: ReceiptSecrets = {
  current: new TextEncoder().encode("meter-test-secret-0123456789abcdef"),
  previous: null,
  audience: "eip155:31337",
};
const t0 = new Date("2026-12-01T10:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

/** Opens `articleId` as the proxy does: decide, and store the new state when a read is spent. */
async function open(token: string | null, articleId: number, allowance = 3, now = t0, publisherId = 1) {
  const { state } = await readMeter(token, secrets, now);
  const d = decideFreeRead(state, { publisherId, articleId, allowance, now });
  const next = d.kind === "spend" ? await issueMeter(d.next, secrets, now) : token;
  return { decision: d, token: next };
}

describe("the free-read meter", () => {
  it("counts distinct articles: N free, the next one is the paywall, and re-opening spends nothing", async () => {
    let token: string | null = null;
    const seen: string[] = [];
    for (const id of [11, 12, 11, 13, 12, 14]) {
      const r = await open(token, id);
      token = r.token;
      seen.push(`${r.decision.kind}:${r.decision.left}`);
    }
    expect(seen).toEqual(["spend:2", "spend:1", "reread:1", "spend:0", "reread:0", "exhausted:0"]);
    const { state } = await readMeter(token, secrets, t0);
    for (const id of [11, 12, 13])
      expect(meterOpens(state, { publisherId: 1, articleId: id, allowance: 3, now: t0 })).not.toBeNull();
    expect(meterOpens(state, { publisherId: 1, articleId: 14, allowance: 3, now: t0 })).toBeNull();
    expect(freeReadsLeftLabel({ left: 2, of: 3 })).toBe("2 of 3 free reads left this month");
    expect(freeReadsLeftLabel({ left: 0, of: 1 })).toBe("0 of 1 free read left this month");
  });

  it("counts each publisher apart", async () => {
    const a = await open(null, 11, 1, t0, 1);
    const b = await open(a.token, 21, 1, t0, 2);
    expect(b.decision.kind).toBe("spend");
    expect((await open(b.token, 12, 1, t0, 1)).decision.kind).toBe("exhausted");
    expect((await open(b.token, 22, 1, t0, 2)).decision.kind).toBe("exhausted");
  });

  it("starts again 30 days after the window opened, and not a second before", async () => {
    let token: string | null = null;
    for (const id of [11, 12, 13]) token = (await open(token, id, 3, later(id * 1000))).token;
    const justBefore = later(METER_WINDOW_MS + 10_000 - 1);
    expect((await open(token, 14, 3, justBefore)).decision).toMatchObject({
      kind: "exhausted",
      resetsAt: later(METER_WINDOW_MS + 11_000),
    });
    // The window opened with the first read (at +11 s): from +30 days +11 s the count is fresh.
    const after = later(METER_WINDOW_MS + 11_000);
    const reset = await open(token, 14, 3, after);
    expect(reset.decision).toMatchObject({ kind: "spend", left: 2 });
    // An article read in the old window costs a read again in the new one.
    expect((await open(reset.token, 11, 3, after)).decision).toMatchObject({ kind: "spend", left: 1 });
  });

  it("a cookie edited to forget its reads is no cookie at all: what it lists opens nothing", async () => {
    const spent = (await open((await open((await open(null, 11)).token, 12)).token, 13)).token!;
    const [header, payload, signature] = spent.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { m: { r: number[] }[] };
    claims.m[0]!.r = [11]; // "I only read one"
    const edited = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    const read = await readMeter(edited, secrets, t0);
    expect(read).toEqual({ state: emptyMeter(), trusted: false });
    // It does not open article 11, which it claims was read free.
    expect(meterOpens(read.state, { publisherId: 1, articleId: 11, allowance: 3, now: t0 })).toBeNull();
    // And its worth is a fresh meter's, the same as deleting the cookie (the IP bound caps both).
    expect(
      decideFreeRead(read.state, { publisherId: 1, articleId: 14, allowance: 3, now: t0 }),
    ).toMatchObject({
      kind: "spend",
      left: 2,
    });
  });

  it("refuses a meter signed by another key, one for another site, and a receipt passed off as a meter", async () => {
    const state: MeterState = { meters: [{ publisherId: 1, windowStart: t0, reads: [11] }] };
    const otherKey = await issueMeter(
      state,
      { ...secrets, current: new TextEncoder().encode("x".repeat(40)) },
      t0,
    );
    expect((await readMeter(otherKey, secrets, t0)).trusted).toBe(false);
    const otherSite = await issueMeter(
      state,
      { ...secrets, audience: "eip155:8453 https://elsewhere.example" },
      t0,
    );
    expect((await readMeter(otherSite, secrets, t0)).trusted).toBe(false);
    const receipt = await issueReceipt(
      { sub: `0x${"1".repeat(40)}`, res: "article:a", amt: "10000", net: "eip155:31337" },
      null,
      secrets,
      t0,
    );
    expect((await readMeter(receipt, secrets, t0)).trusted).toBe(false);
    expect((await readMeter("junk", secrets, t0)).trusted).toBe(false);
    expect((await readMeter("a.b.c", secrets, t0)).trusted).toBe(false);
    // The genuine one still reads.
    const genuine = await issueMeter(state, secrets, t0);
    expect((await readMeter(genuine, secrets, t0)).state.meters[0]!.reads).toEqual([11]);
  });

  it("a meter signed before a secret rotation still counts (the previous secret), so rotating grants no fresh reads", async () => {
    const old = new TextEncoder().encode("the-old-meter-secret-0123456789abc");
    const token = await issueMeter(
      { meters: [{ publisherId: 1, windowStart: t0, reads: [11, 12, 13] }] },
      { ...secrets, current: old },
      t0,
    );
    const rotated: ReceiptSecrets = { ...secrets, previous: old, previousUntil: later(86_400_000) };
    expect((await open(token, 14, 3, t0)).decision.kind).toBe("spend"); // unknown key: fresh
    const { state } = await readMeter(token, rotated, t0);
    expect(decideFreeRead(state, { publisherId: 1, articleId: 14, allowance: 3, now: t0 }).kind).toBe(
      "exhausted",
    );
  });

  it("keeps the cookie small: at most 8 publishers, the least recently read dropped first", async () => {
    let token: string | null = null;
    for (let p = 1; p <= MAX_METERED_PUBLISHERS + 2; p++)
      token = (await open(token, 100 + p, 10, t0, p)).token;
    const { state } = await readMeter(token, secrets, t0);
    expect(state.meters.map((m) => m.publisherId)).toEqual([10, 9, 8, 7, 6, 5, 4, 3]);
    // Ten reads at each of eight publishers still fit well inside one cookie.
    const full: MeterState = {
      meters: Array.from({ length: MAX_METERED_PUBLISHERS }, (_, i) => ({
        publisherId: 1000 + i,
        windowStart: t0,
        reads: Array.from({ length: 10 }, (_, j) => 100_000 + j),
      })),
    };
    expect((await issueMeter(full, secrets, t0)).length).toBeLessThan(2000);
  });

  it("a lower allowance set by the publisher applies at once; a window claimed to open in the future is ignored", async () => {
    const token = (await open((await open(null, 11)).token, 12)).token;
    const { state } = await readMeter(token, secrets, t0);
    expect(decideFreeRead(state, { publisherId: 1, articleId: 13, allowance: 2, now: t0 }).kind).toBe(
      "exhausted",
    );
    const future = await issueMeter(
      { meters: [{ publisherId: 1, windowStart: later(60_000), reads: [11] }] },
      secrets,
      t0,
    );
    expect((await readMeter(future, secrets, t0)).state.meters).toEqual([]);
  });
});
