// Sales figures aggregated in SQL, checked against hand-counted fixtures in a real (in-memory)
// PGlite: counts, revenue as exact bigints, unique payers, browser/agent share, the funnel, the
// per-day series, recent payments and the CSV. Covers sales.ts, report.ts and csv.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, type DbHandle } from "../db/client";
import { payments, resourceStats } from "../db/schema";
import { toUsdcDecimal as decimalUsdc } from "../content/money";
import { csvCell, SALES_CSV_HEADER, salesCsv } from "./csv";
import { loadSalesReport, salesReportJson, share } from "./report";
import { allSales, recentSales, revenueByDay, salesByResource, salesSummary } from "./sales";

const NOW = new Date("2030-03-15T12:00:00Z");
const day = (d: number, h = 10) => new Date(Date.UTC(2030, 2, d, h));
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

let handle: DbHandle;
let db: Db;
let seq = 0;

type Fixture = {
  resource: string;
  payer: string;
  amount: bigint;
  status: "reserved" | "settling" | "settled" | "failed";
  channel: "browser" | "agent";
  settledAt?: Date;
};

async function pay(f: Fixture) {
  seq++;
  await db.insert(payments).values({
    method: "authorization",
    network: "eip155:31337",
    asset: "0xusdc",
    payer: f.payer,
    payTo: "0xpublisher",
    nonce: `0x${seq.toString(16)}`,
    txHash: f.status === "settled" ? hash(seq) : null,
    amountAtomic: f.amount,
    resource: f.resource,
    status: f.status,
    channel: f.channel,
    settledAt: f.settledAt ?? null,
    createdAt: f.settledAt ?? NOW,
  });
}

const TIDES = "article:tides";
const CLOCKS = "article:clocks";
const DATA = "data:markets/volume.json";

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
  // tides: 4 settled (3 payers; 1 browser, 3 agent), 1 failed, 1 reserved
  await pay({
    resource: TIDES,
    payer: "0xaaa",
    amount: 50_000n,
    status: "settled",
    channel: "browser",
    settledAt: day(13),
  });
  await pay({
    resource: TIDES,
    payer: "0xbbb",
    amount: 50_000n,
    status: "settled",
    channel: "agent",
    settledAt: day(13, 23),
  });
  await pay({
    resource: TIDES,
    payer: "0xccc",
    amount: 70_000n,
    status: "settled",
    channel: "agent",
    settledAt: day(15, 9),
  });
  await pay({
    resource: TIDES,
    payer: "0xaaa",
    amount: 70_000n,
    status: "settled",
    channel: "agent",
    settledAt: day(1),
  }); // after its receipt expired
  await pay({ resource: TIDES, payer: "0xddd", amount: 50_000n, status: "failed", channel: "browser" });
  await pay({ resource: TIDES, payer: "0xeee", amount: 50_000n, status: "reserved", channel: "agent" });
  // clocks: 1 settled long ago (outside the 30-day chart)
  await pay({
    resource: CLOCKS,
    payer: "0xaaa",
    amount: 1_234_567n,
    status: "settled",
    channel: "browser",
    settledAt: new Date("2029-12-01T00:00:00Z"),
  });
  // data: 2 settled by one agent
  await pay({
    resource: DATA,
    payer: "0xfff",
    amount: 2_000n,
    status: "settled",
    channel: "agent",
    settledAt: day(14),
  });
  await pay({
    resource: DATA,
    payer: "0xfff",
    amount: 2_000n,
    status: "settled",
    channel: "agent",
    settledAt: day(14, 11),
  });
  // someone else's article, never counted
  await pay({
    resource: "article:other",
    payer: "0xaaa",
    amount: 9_000_000n,
    status: "settled",
    channel: "browser",
    settledAt: day(14),
  });

  await db.insert(resourceStats).values([
    { resource: TIDES, day: "2030-03-13", shown402: 30, receiptReads: 4 },
    { resource: TIDES, day: "2030-03-14", shown402: 12, receiptReads: 7 },
    { resource: DATA, day: "2030-03-14", shown402: 5, receiptReads: 0 },
    { resource: "article:other", day: "2030-03-14", shown402: 1000, receiptReads: 1000 },
  ]);
});

afterAll(async () => {
  await handle.close();
});

describe("salesSummary", () => {
  it("counts one article's sales, revenue, payers, channels and funnel", async () => {
    expect(await salesSummary(db, [TIDES])).toEqual({
      sales: 4,
      revenueAtomic: 240_000n,
      uniquePayers: 3,
      refunds: 0,
      refundedAtomic: 0n,
      channels: { browser: 1, agent: 3 },
      funnel: { shown402: 42, attempted: 6, settled: 4, receiptReads: 11 },
    });
  });

  it("adds up several resources (a publisher's dashboard) without counting anyone else's", async () => {
    expect(await salesSummary(db, [TIDES, CLOCKS, DATA])).toEqual({
      sales: 7,
      revenueAtomic: 240_000n + 1_234_567n + 4_000n,
      uniquePayers: 4,
      refunds: 0,
      refundedAtomic: 0n,
      channels: { browser: 2, agent: 5 },
      funnel: { shown402: 47, attempted: 9, settled: 7, receiptReads: 11 },
    });
  });

  it("is all zeros for nothing, or for a resource nobody bought", async () => {
    const zero = {
      sales: 0,
      revenueAtomic: 0n,
      uniquePayers: 0,
      refunds: 0,
      refundedAtomic: 0n,
      channels: { browser: 0, agent: 0 },
      funnel: { shown402: 0, attempted: 0, settled: 0, receiptReads: 0 },
    };
    expect(await salesSummary(db, [])).toEqual(zero);
    expect(await salesSummary(db, ["article:unsold"])).toEqual(zero);
  });

  it("keeps revenue exact beyond a double's precision", async () => {
    await pay({
      resource: "article:whale",
      payer: "0x1",
      amount: 9_007_199_254_740_993n,
      status: "settled",
      channel: "agent",
      settledAt: day(2),
    });
    await pay({
      resource: "article:whale",
      payer: "0x2",
      amount: 9_007_199_254_740_993n,
      status: "settled",
      channel: "agent",
      settledAt: day(2),
    });
    expect((await salesSummary(db, ["article:whale"])).revenueAtomic).toBe(18_014_398_509_481_986n);
  });
});

describe("salesByResource", () => {
  it("breaks settled sales down per resource", async () => {
    const map = await salesByResource(db, [TIDES, CLOCKS, DATA, "article:unsold"]);
    expect([...map.keys()].sort()).toEqual([CLOCKS, DATA, TIDES].sort());
    expect(map.get(TIDES)).toEqual({
      resource: TIDES,
      sales: 4,
      revenueAtomic: 240_000n,
      uniquePayers: 3,
      refunds: 0,
      refundedAtomic: 0n,
    });
    expect(map.get(DATA)).toEqual({
      resource: DATA,
      sales: 2,
      revenueAtomic: 4_000n,
      uniquePayers: 1,
      refunds: 0,
      refundedAtomic: 0n,
    });
  });
});

describe("revenueByDay", () => {
  it("sums settled revenue per UTC day over 30 days, with empty days as zero", async () => {
    const days = await revenueByDay(db, [TIDES, DATA], { now: NOW });
    expect(days).toHaveLength(30);
    expect(days[0]?.day).toBe("2030-02-14");
    expect(days.at(-1)?.day).toBe("2030-03-15");
    const get = (d: string) => days.find((x) => x.day === d);
    expect(get("2030-03-13")).toEqual({
      day: "2030-03-13",
      sales: 2,
      revenueAtomic: 100_000n,
      refunds: 0,
      refundedAtomic: 0n,
    }); // 10:00 and 23:00 UTC
    expect(get("2030-03-14")).toEqual({
      day: "2030-03-14",
      sales: 2,
      revenueAtomic: 4_000n,
      refunds: 0,
      refundedAtomic: 0n,
    });
    expect(get("2030-03-15")).toEqual({
      day: "2030-03-15",
      sales: 1,
      revenueAtomic: 70_000n,
      refunds: 0,
      refundedAtomic: 0n,
    });
    expect(get("2030-03-01")).toEqual({
      day: "2030-03-01",
      sales: 1,
      revenueAtomic: 70_000n,
      refunds: 0,
      refundedAtomic: 0n,
    });
    expect(get("2030-03-02")).toEqual({
      day: "2030-03-02",
      sales: 0,
      revenueAtomic: 0n,
      refunds: 0,
      refundedAtomic: 0n,
    });
    expect(days.reduce((s, d) => s + d.revenueAtomic, 0n)).toBe(244_000n);
  });
});

describe("recent and all sales", () => {
  it("lists settled payments newest first with their transaction hashes", async () => {
    const recent = await recentSales(db, [TIDES], 3);
    expect(recent.map((r) => r.settledAt.toISOString())).toEqual([
      day(15, 9).toISOString(),
      day(13, 23).toISOString(),
      day(13).toISOString(),
    ]);
    expect(recent[0]).toMatchObject({
      payer: "0xccc",
      amountAtomic: 70_000n,
      channel: "agent",
      method: "authorization",
      resource: TIDES,
    });
    expect(recent.every((r) => /^0x[0-9a-f]{64}$/.test(r.txHash ?? ""))).toBe(true);
  });

  it("exports every settled sale as CSV, oldest first, amounts exact", async () => {
    const rows = await allSales(db, [TIDES]);
    const csv = salesCsv(rows);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(SALES_CSV_HEADER.join(","));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      `${day(1).toISOString()},${TIDES},0xaaa,0.07,70000,agent,authorization,eip155:31337,${rows[0]?.txHash},settled,,`,
    );
    expect(csv).not.toContain("0xddd"); // failed
    expect(csv).not.toContain("0xeee"); // still reserved
  });
});

describe("report JSON", () => {
  it("carries money as strings with a display form", async () => {
    const json = salesReportJson(await loadSalesReport(db, [TIDES], NOW));
    expect(json.revenue).toEqual({ atomic: "240000", display: "$0.24" });
    expect(json.recent[0]?.amount).toEqual({ atomic: "70000", display: "$0.07" });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(share(json.channels.browser, json.sales)).toBe("25%");
    expect(share(0, 0)).toBe("–");
  });
});

describe("CSV cells", () => {
  it("quotes separators and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-1+2")).toBe("'-1+2");
  });
  it("writes amounts as plain decimals", () => {
    expect(decimalUsdc(70_000n)).toBe("0.07");
    expect(decimalUsdc(1_234_567n)).toBe("1.234567");
    expect(decimalUsdc(1_500_000_000n)).toBe("1500.00");
    expect(decimalUsdc(0n)).toBe("0.00");
  });
});
