// What a wallet holds, read back from payments recorded through the store's own writes (a gasless
// settlement, a transfer claim) in a real in-memory PGlite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleKey, dataKey } from "../content/resource-keys";
import { openDb, type Db, type DbHandle } from "../db/client";
import { articles, dataEndpoints, publishers } from "../db/schema";
import { holds, purchasesOf } from "./entitlements";
import { recordSettlement, recordTransferClaim, reservePayment } from "./store";

const NETWORK = "eip155:31337";
const ASSET = "0x00000000000000000000000000000000000000a5";
const PAY_TO = "0x00000000000000000000000000000000000000b0";
const OTHER = "0x2222222222222222222222222222222222222222";
const T0 = new Date("2031-05-01T10:00:00Z");
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

let handle: DbHandle;
let db: Db;
let seq = 0;
const hex = (n: number, len: number) => `0x${n.toString(16).padStart(len, "0")}`;

/** A gasless purchase settled the way the paid path records one. */
async function gasless(
  payer: string,
  resource: string,
  amount: bigint,
  settledAt: Date,
  expiresAt: Date | null,
) {
  seq++;
  const reserved = await reservePayment(db, {
    method: "authorization",
    network: NETWORK,
    asset: ASSET,
    payer,
    payTo: PAY_TO,
    nonce: hex(seq, 64),
    amountAtomic: amount,
    resource,
    lockKey: `${payer}|${resource}`,
  });
  if (reserved.kind !== "reserved") throw new Error("not reserved");
  await recordSettlement(db, {
    paymentId: reserved.id,
    txHash: hex(1000 + seq, 64)
      .toUpperCase()
      .replace("0X", "0x"),
    expiresAt,
    grantsAccess: true,
    now: settledAt,
  });
  return reserved.id;
}

/** A per-request data call paid by a claimed transfer (no entitlement). */
const dataCall = (payer: string, txHash: string, claimedAt: Date) =>
  recordTransferClaim(
    db,
    {
      method: "transfer",
      network: NETWORK,
      asset: ASSET,
      payer,
      payTo: PAY_TO,
      txHash,
      amountAtomic: 1_000n,
      resource: dataKey("markets/volume.json"),
    },
    { grantsAccess: false, expiresAt: null },
    claimedAt,
  );

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
  const [pub] = await db
    .insert(publishers)
    .values({ wallet: "0x00000000000000000000000000000000000000c0", name: "Tide Press", payTo: PAY_TO })
    .returning();
  await db.insert(articles).values([
    {
      publisherId: pub!.id,
      slug: "tides",
      title: "Reading the tides",
      teaser: "t",
      body: "b",
      priceAtomic: 50_000n,
    },
    {
      publisherId: pub!.id,
      slug: "clocks",
      title: "Tower clocks",
      teaser: "t",
      body: "b",
      priceAtomic: 20_000n,
    },
  ]);
  await db.insert(dataEndpoints).values({
    publisherId: pub!.id,
    path: "markets/volume.json",
    name: "Daily volume",
    description: "d",
    contentType: "application/json",
    content: "{}",
    priceAtomic: 1_000n,
  });
});

afterAll(() => handle.close());

describe("purchasesOf", () => {
  it("lists every settled purchase of the wallet, newest first, with title, price, when, how, transaction and access", async () => {
    const wallet = "0x3333333333333333333333333333333333333333";
    const tides = await gasless(wallet, articleKey("tides"), 50_000n, at(1), null);
    const clocks = await gasless(wallet, articleKey("clocks"), 20_000n, at(2), at(26));
    const claim = await dataCall(wallet, hex(77, 64), at(3));

    const list = await purchasesOf(db, wallet.toUpperCase().replace("0X", "0x"));

    expect(list.map((p) => p.id)).toEqual([claim!.id, clocks, tides]);
    expect(list[0]).toMatchObject({
      title: "Daily volume",
      ref: { kind: "data", path: "markets/volume.json" },
      amountAtomic: 1_000n,
      method: "transfer",
      txHash: hex(77, 64),
      paidAt: at(3),
      access: { kind: "once" },
    });
    expect(list[1]).toMatchObject({
      title: "Tower clocks",
      amountAtomic: 20_000n,
      method: "gasless",
      paidAt: at(2),
      access: { kind: "until", endsAt: at(26) },
    });
    expect(list[1]!.txHash).toMatch(/^0x[0-9a-f]{64}$/); // sent upper-case, stored in one spelling
    expect(list[2]).toMatchObject({
      title: "Reading the tides",
      ref: { kind: "article", slug: "tides" },
      resource: "article:tides",
      network: NETWORK,
      payer: wallet,
      payTo: PAY_TO,
      access: { kind: "forever" },
    });
  });

  it("leaves out payments that did not settle and other wallets' purchases", async () => {
    const wallet = "0x4444444444444444444444444444444444444444";
    await reservePayment(db, {
      method: "authorization",
      network: NETWORK,
      asset: ASSET,
      payer: wallet,
      payTo: PAY_TO,
      nonce: hex(9_999, 64),
      amountAtomic: 50_000n,
      resource: articleKey("tides"),
      lockKey: `${wallet}|article:tides`,
    });
    await gasless(OTHER, articleKey("tides"), 50_000n, at(1), null);

    expect(await purchasesOf(db, wallet)).toEqual([]);
  });

  it("leaves out a transfer owed back (sent for something the wallet already held)", async () => {
    const wallet = "0x9999999999999999999999999999999999999999";
    const kept = await gasless(wallet, articleKey("tides"), 50_000n, at(1), null);
    await recordTransferClaim(
      db,
      {
        method: "transfer",
        network: NETWORK,
        asset: ASSET,
        payer: wallet,
        payTo: PAY_TO,
        txHash: hex(99, 64),
        amountAtomic: 50_123n,
        resource: articleKey("tides"),
        refundDue: true,
      },
      { grantsAccess: false, expiresAt: null },
      at(2),
    );

    expect((await purchasesOf(db, wallet)).map((p) => p.id)).toEqual([kept]);
  });

  it("names a purchase whose item is gone by its resource key", async () => {
    const wallet = "0x5555555555555555555555555555555555555555";
    await gasless(wallet, articleKey("deleted-long-ago"), 10_000n, at(1), null);

    const [p] = await purchasesOf(db, wallet);
    expect(p).toMatchObject({
      title: "article:deleted-long-ago",
      ref: { kind: "article", slug: "deleted-long-ago" },
    });
  });
});

describe("holds", () => {
  it("finds an unexpired purchase of the item and nothing once its window has run out", async () => {
    const wallet = "0x6666666666666666666666666666666666666666";
    const id = await gasless(wallet, articleKey("clocks"), 20_000n, at(0), at(24));

    expect(await holds(db, wallet, articleKey("clocks"), at(23))).toMatchObject({
      id,
      title: "Tower clocks",
      access: { kind: "until", endsAt: at(24) },
    });
    expect(await holds(db, wallet, articleKey("clocks"), at(24))).toBeNull();
    expect(await holds(db, wallet, articleKey("tides"), at(1))).toBeNull();
    expect(await holds(db, OTHER, articleKey("clocks"), at(1))).toBeNull();
  });

  it("prefers a forever purchase over a windowed one of the same item", async () => {
    const wallet = "0x7777777777777777777777777777777777777777";
    await gasless(wallet, articleKey("tides"), 50_000n, at(0), at(24));
    const forever = await gasless(wallet, articleKey("tides"), 50_000n, at(1), null);

    expect(await holds(db, wallet, articleKey("tides"), at(2))).toMatchObject({
      id: forever,
      access: { kind: "forever" },
    });
  });

  it("never counts a per-request data call as held", async () => {
    const wallet = "0x8888888888888888888888888888888888888888";
    await dataCall(wallet, hex(88, 64), at(0));

    expect(await holds(db, wallet, dataKey("markets/volume.json"), at(0))).toBeNull();
  });
});
