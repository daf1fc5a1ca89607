// Publisher, article and data-endpoint commands against a real (in-memory) PGlite: the tests of
// publishers.ts, articles.ts, endpoints.ts and scope.ts, in one file because they share one seeded
// database. Publishers are isolated from each other: publisher B reads or edits publisher A's article, data, or
// sales → forbidden (403).
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleResource } from "../content/catalog";
import { openDb, type Db, type DbHandle } from "../db/client";
import { getArticleBySlug, getDataEndpointByPath, type Publisher } from "../db/queries";
import { payments, resourceStats } from "../db/schema";
import {
  articleCreateSchema,
  articlePatchSchema,
  createArticle,
  deleteArticle,
  listArticles,
  ownArticle,
  toStudioArticle,
  updateArticle,
  type ArticleCreate,
} from "./articles";
import {
  createEndpoint,
  deleteEndpoint,
  endpointCreateSchema,
  ownEndpoint,
  updateEndpoint,
} from "./endpoints";
import { ANVIL_KEYS } from "../devnet/deploy";
import { payoutChangeMessage } from "./payout-message";
import { createPublisher, listPayoutChanges, publisherForWallet, updatePublisher } from "./publishers";
import type { Result } from "./results";
import { salesSummary } from "./sales";
import { articleKey } from "../content/resource-keys";
import { publisherKeys, salesScope } from "./scope";

const WALLET_A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const WALLET_B = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const PAYOUT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const RELAYER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const RULES = { token: TOKEN, relayer: RELAYER } as const;
const SITE = { domain: "kiosk.test", origin: "http://kiosk.test", chainId: 31337 };
const CONTEXT = { rules: RULES, ...SITE, chainClient: null };
const accountA = privateKeyToAccount(ANVIL_KEYS[1]);
const accountB = privateKeyToAccount(ANVIL_KEYS[2]);

/** Confirmations must be newer than the last change: each one gets its own second, in the recent past. */
let clock = Date.now() - 120_000;
/** A payout change as the studio sends it: the new address and the account wallet's signature. */
async function payoutPatch(
  p: Publisher,
  payTo: string,
  opts: { signer?: typeof accountA; signedPayTo?: string; issuedAt?: Date; domain?: string } = {},
) {
  const issuedAt = (opts.issuedAt ?? new Date((clock += 1_000))).toISOString();
  const message = payoutChangeMessage({
    ...SITE,
    domain: opts.domain ?? SITE.domain,
    publisherId: p.id,
    account: p.wallet,
    payTo: opts.signedPayTo ?? payTo,
    issuedAt,
  });
  const signature = await (
    opts.signer ?? (p.wallet === accountA.address.toLowerCase() ? accountA : accountB)
  ).signMessage({
    message,
  });
  return { payTo: payTo.toLowerCase() as `0x${string}`, confirmation: { issuedAt, signature } };
}

let handle: DbHandle;
let db: Db;
let a: Publisher;
let b: Publisher;

const value = <T>(r: Result<T>): T => {
  if (r.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
};

const article = (overrides: Partial<Record<keyof ArticleCreate, unknown>> = {}): ArticleCreate =>
  articleCreateSchema.parse({
    title: "Tide tables",
    slug: `tides-${Math.random().toString(36).slice(2, 8)}`,
    body: "Tides are *forecasts*.\n\nThe rest is for paying readers.",
    price: "0.05",
    accessWindow: "7d",
    ...overrides,
  });

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
  a = value(await createPublisher(db, WALLET_A, { name: "Publisher A" }, RULES));
  b = value(
    await createPublisher(
      db,
      WALLET_B,
      { name: "Publisher B", payTo: PAYOUT.toLowerCase() as `0x${string}` },
      RULES,
    ),
  );
});

afterAll(async () => {
  await handle.close();
});

describe("publisher profiles", () => {
  it("pay out to the wallet by default, or to the address given; stored lowercase", () => {
    expect(a.wallet).toBe(WALLET_A.toLowerCase());
    expect(a.payTo).toBe(WALLET_A.toLowerCase());
    expect(b.payTo).toBe(PAYOUT.toLowerCase());
  });

  it("are one per wallet", async () => {
    expect(await createPublisher(db, WALLET_A.toLowerCase(), { name: "Again" }, RULES)).toEqual({
      kind: "conflict",
      message: "This wallet already has a publisher profile.",
    });
  });

  it("change name and payout address; payments then go to the new address", async () => {
    const slug = "payout-follows-profile";
    const created = value(await createArticle(db, b, article({ slug })));
    value(await updateArticle(db, b, created.id, { published: true }));
    const updated = value(await updatePublisher(db, b, await payoutPatch(b, WALLET_B), CONTEXT));
    expect(updated.payTo).toBe(WALLET_B.toLowerCase());
    const row = await getArticleBySlug(db, slug);
    expect(row && articleResource(row).payTo).toBe(WALLET_B.toLowerCase());
    b = value(await updatePublisher(db, updated, await payoutPatch(updated, PAYOUT), CONTEXT));
    expect((await publisherForWallet(db, WALLET_B))?.payTo).toBe(PAYOUT.toLowerCase());
  });
});

describe("payout changes", () => {
  const current = async () => (await publisherForWallet(db, WALLET_B))!;

  it("need the account wallet's fresh signature: without one the change is refused and nothing is logged", async () => {
    const before = await listPayoutChanges(db, b);
    expect(await updatePublisher(db, b, { payTo: WALLET_A.toLowerCase() as `0x${string}` }, CONTEXT)).toEqual(
      {
        kind: "refused",
        message: `Changing the payout address needs a fresh signature from your account wallet (${WALLET_B.toLowerCase()}); confirm the change with your wallet in the studio.`,
      },
    );
    expect((await current()).payTo).toBe(PAYOUT.toLowerCase());
    expect(await listPayoutChanges(db, b)).toEqual(before);
  });

  it("refuse a signature by another wallet, for another address, for another site, or too old", async () => {
    const cases = {
      "another wallet": await payoutPatch(b, WALLET_A, { signer: accountA }),
      "another address": await payoutPatch(b, WALLET_A, { signedPayTo: TOKEN.replace("5F", "6F") }),
      "another site": await payoutPatch(b, WALLET_A, { domain: "evil.example" }),
      "too old": await payoutPatch(b, WALLET_A, { issuedAt: new Date(Date.now() - 6 * 60_000) }),
      "from the future": await payoutPatch(b, WALLET_A, { issuedAt: new Date(Date.now() + 5 * 60_000) }),
    };
    for (const [name, patch] of Object.entries(cases)) {
      const result = await updatePublisher(db, b, patch, CONTEXT);
      expect(result.kind, name).toBe("refused");
    }
    expect((await current()).payTo).toBe(PAYOUT.toLowerCase());
  });

  it("with the signature: change the address and log old, new, signer and time; a confirmation works once", async () => {
    const first = await payoutPatch(b, WALLET_A);
    const moved = value(await updatePublisher(db, b, first, CONTEXT));
    expect(moved.payTo).toBe(WALLET_A.toLowerCase());
    const [entry] = await listPayoutChanges(db, b);
    expect(entry).toMatchObject({
      oldPayTo: PAYOUT.toLowerCase(),
      newPayTo: WALLET_A.toLowerCase(),
      signer: WALLET_B.toLowerCase(),
      signedAt: new Date(first.confirmation.issuedAt),
    });
    expect(Date.now() - entry!.changedAt.getTime()).toBeLessThan(60_000);

    b = value(await updatePublisher(db, moved, await payoutPatch(moved, PAYOUT), CONTEXT));
    // Replaying the first confirmation (a copied request) would move the money back to WALLET_A.
    expect(await updatePublisher(db, b, first, CONTEXT)).toEqual({
      kind: "refused",
      message: "That payout confirmation was already used; sign a new one.",
    });
    expect((await current()).payTo).toBe(PAYOUT.toLowerCase());
    expect((await listPayoutChanges(db, b)).slice(0, 2).map((c) => c.newPayTo)).toEqual([
      PAYOUT.toLowerCase(),
      WALLET_A.toLowerCase(),
    ]);
  });

  it("let the name change without a signature, and treat the current address as no change", async () => {
    const renamed = value(
      await updatePublisher(
        db,
        b,
        { name: "Publisher B2", payTo: PAYOUT.toLowerCase() as `0x${string}` },
        CONTEXT,
      ),
    );
    expect(renamed).toMatchObject({ name: "Publisher B2", payTo: PAYOUT.toLowerCase() });
    b = value(await updatePublisher(db, renamed, { name: "Publisher B" }, CONTEXT));
  });
});

describe("payout addresses", () => {
  const refused = [
    [
      "the zero address",
      "0x0000000000000000000000000000000000000000",
      /^The zero address can't receive payments/,
    ],
    ["the USDC token contract", TOKEN.toLowerCase(), /^That is the USDC token contract itself/],
    ["the relayer", RELAYER.toLowerCase(), /^That is this site's relayer/],
  ] as const;

  it.each(refused)("refuse %s as a new payout address, and keep the old one", async (_, address, message) => {
    const result = await updatePublisher(db, b, await payoutPatch(b, address), CONTEXT);
    expect(result).toMatchObject({ kind: "invalid", message: expect.stringMatching(message) });
    expect((await publisherForWallet(db, WALLET_B))?.payTo).toBe(PAYOUT.toLowerCase());
  });

  it.each(refused)("refuse %s when a profile is created", async (_, address, message) => {
    const wallet = `0x${"c".repeat(39)}${refused.findIndex((r) => r[1] === address)}`;
    const result = await createPublisher(db, wallet, { name: "C", payTo: address as `0x${string}` }, RULES);
    expect(result).toMatchObject({ kind: "invalid", message: expect.stringMatching(message) });
    expect(await publisherForWallet(db, wallet)).toBeNull();
  });

  it("refuse the relayer's own wallet as a default payout, and allow everything with no relayer configured", async () => {
    expect(await createPublisher(db, RELAYER, { name: "Relayer" }, RULES)).toMatchObject({ kind: "invalid" });
    const noRelayer = { ...CONTEXT, rules: { token: TOKEN, relayer: null } } as const;
    const moved = value(await updatePublisher(db, b, await payoutPatch(b, RELAYER), noRelayer));
    expect(moved.payTo).toBe(RELAYER.toLowerCase());
    b = value(await updatePublisher(db, moved, await payoutPatch(moved, PAYOUT), CONTEXT));
  });
});

describe("articles", () => {
  it("are created as drafts with the price in atomic units and a teaser from the first paragraph", async () => {
    const created = value(
      await createArticle(db, a, article({ slug: "first-draft", price: "0.07", accessWindow: "24h" })),
    );
    expect(created).toMatchObject({
      slug: "first-draft",
      priceAtomic: 70_000n,
      accessWindowSeconds: 86_400,
      published: false,
      publishedAt: null,
      teaser: "Tides are forecasts.",
    });
    expect(toStudioArticle(created)).toMatchObject({
      price: { atomic: "70000", dollars: "0.07", display: "$0.07" },
      accessWindow: "24h",
      teaserIsDerived: true,
      slugLocked: false,
    });
    // A draft is not in the catalog.
    expect(await getArticleBySlug(db, "first-draft")).toBeNull();
  });

  it("have unique slugs, across publishers", async () => {
    value(await createArticle(db, a, article({ slug: "taken" })));
    expect(await createArticle(db, b, article({ slug: "taken" }))).toEqual({
      kind: "conflict",
      message: 'The slug "taken" is taken; choose another.',
    });
    const other = value(await createArticle(db, a, article({ slug: "not-taken" })));
    expect((await updateArticle(db, a, other.id, { slug: "taken" })).kind).toBe("conflict");
  });

  it("publish (into the catalog), unpublish (out of it), and keep the first publication date", async () => {
    const created = value(await createArticle(db, a, article({ slug: "goes-live" })));
    const t1 = new Date("2030-01-01T00:00:00Z");
    const live = value(await updateArticle(db, a, created.id, { published: true }, t1));
    expect(live).toMatchObject({ published: true, publishedAt: t1 });
    expect(await getArticleBySlug(db, "goes-live")).not.toBeNull();
    value(await updateArticle(db, a, created.id, { published: false }));
    expect(await getArticleBySlug(db, "goes-live")).toBeNull();
    const again = value(
      await updateArticle(db, a, created.id, { published: true }, new Date("2031-01-01T00:00:00Z")),
    );
    expect(again.publishedAt).toEqual(t1);
  });

  it("freeze the slug once published, and can then only be unpublished, not deleted", async () => {
    const created = value(await createArticle(db, a, article({ slug: "frozen" })));
    expect(value(await updateArticle(db, a, created.id, { slug: "still-a-draft" })).slug).toBe(
      "still-a-draft",
    );
    value(await updateArticle(db, a, created.id, { published: true }));
    const renamed = await updateArticle(db, a, created.id, { slug: "renamed" });
    expect(renamed.kind).toBe("conflict");
    expect(await deleteArticle(db, a, created.id)).toMatchObject({ kind: "conflict" });
    const draft = value(await createArticle(db, a, article({ slug: "deletable" })));
    expect(await deleteArticle(db, a, draft.id)).toEqual({ kind: "ok", value: { id: draft.id } });
    expect(await ownArticle(db, a, draft.id)).toEqual({ kind: "not-found" });
  });

  it("change price for new buyers only (receipts carry their own resource and expiry)", async () => {
    const created = value(await createArticle(db, a, article({ slug: "repriced" })));
    const updated = value(
      await updateArticle(db, a, created.id, { price: 250_000n, accessWindow: "forever", published: true }),
    );
    expect(updated).toMatchObject({ priceAtomic: 250_000n, accessWindowSeconds: null });
    const row = await getArticleBySlug(db, "repriced");
    expect(row && articleResource(row)).toMatchObject({
      key: articleKey(updated.slug),
      priceAtomic: 250_000n,
      payTo: a.payTo,
    });
  });

  it("follow the body with a derived teaser, and keep an explicit one", async () => {
    const created = value(await createArticle(db, a, article({ slug: "teasers" })));
    const edited = value(
      await updateArticle(db, a, created.id, articlePatchSchema.parse({ body: "A new opening.\n\nMore." })),
    );
    expect(edited.teaser).toBe("A new opening.");
    const own = value(await updateArticle(db, a, created.id, { teaser: "My own words." }));
    expect(own.teaser).toBe("My own words.");
    const bodyAgain = value(
      await updateArticle(db, a, created.id, articlePatchSchema.parse({ body: "Another opening." })),
    );
    expect(bodyAgain.teaser).toBe("My own words.");
    const cleared = value(await updateArticle(db, a, created.id, { teaser: "" }));
    expect(cleared.teaser).toBe("Another opening.");
  });
});

describe("isolation", () => {
  it("lets publisher B neither read, edit, publish nor delete A's article", async () => {
    const mine = value(await createArticle(db, a, article({ slug: "a-owns-this" })));
    expect(await ownArticle(db, b, mine.id)).toEqual({ kind: "forbidden" });
    expect(await updateArticle(db, b, mine.id, { title: "Hijacked", price: 1n })).toEqual({
      kind: "forbidden",
    });
    expect(await updateArticle(db, b, mine.id, { published: true })).toEqual({ kind: "forbidden" });
    expect(await deleteArticle(db, b, mine.id)).toEqual({ kind: "forbidden" });
    expect(await salesScope(db, b, { kind: "article", id: mine.id })).toEqual({ kind: "forbidden" });
    // Nothing changed.
    expect(value(await ownArticle(db, a, mine.id))).toMatchObject({
      title: "Tide tables",
      priceAtomic: 50_000n,
      published: false,
    });
    // And B's own list does not show it.
    expect((await listArticles(db, b)).map((r) => r.id)).not.toContain(mine.id);
  });

  it("lets publisher B neither read, edit nor delete A's data endpoint, nor see its sales", async () => {
    const endpoint = value(
      await createEndpoint(
        db,
        a,
        endpointCreateSchema.parse({
          name: "Volume",
          path: "a/volume.json",
          format: "json",
          content: "[1,2,3]",
          price: "0.01",
          accessWindow: "per-request",
        }),
      ),
    );
    expect(await ownEndpoint(db, b, endpoint.id)).toEqual({ kind: "forbidden" });
    expect(await updateEndpoint(db, b, endpoint.id, { content: "[]" })).toEqual({ kind: "forbidden" });
    expect(await deleteEndpoint(db, b, endpoint.id)).toEqual({ kind: "forbidden" });
    expect(await salesScope(db, b, { kind: "endpoint", id: endpoint.id })).toEqual({ kind: "forbidden" });
    expect(await publisherKeys(db, b)).not.toContain("data:a/volume.json");
    expect(await publisherKeys(db, a)).toContain("data:a/volume.json");
  });

  it("answers not-found for ids nobody owns", async () => {
    expect(await ownArticle(db, a, 999_999)).toEqual({ kind: "not-found" });
    expect(await ownEndpoint(db, a, 999_999)).toEqual({ kind: "not-found" });
  });
});

describe("data endpoints", () => {
  const endpoint = (overrides: Record<string, unknown> = {}) =>
    endpointCreateSchema.parse({
      name: "Daily volume",
      path: `e/${Math.random().toString(36).slice(2, 8)}.json`,
      format: "json",
      content: '{"volume":[1,2]}',
      price: "0.002",
      accessWindow: "per-request",
      ...overrides,
    });

  it("store the content type of their format and the window in seconds", async () => {
    const json = value(await createEndpoint(db, a, endpoint({ path: "fmt/x.json", published: true })));
    expect(json).toMatchObject({
      contentType: "application/json",
      accessWindowSeconds: null,
      priceAtomic: 2_000n,
      published: true,
    });
    const csv = value(
      await createEndpoint(
        db,
        a,
        endpoint({ path: "fmt/x.csv", format: "csv", content: "a,b\n1,2\n", accessWindow: "24h" }),
      ),
    );
    expect(csv).toMatchObject({ contentType: "text/csv", accessWindowSeconds: 86_400, published: false });
    expect(await getDataEndpointByPath(db, "fmt/x.json")).not.toBeNull();
    expect(await getDataEndpointByPath(db, "fmt/x.csv")).toBeNull(); // a draft
  });

  it("refuse a format switch that leaves invalid content, and a taken path", async () => {
    const created = value(await createEndpoint(db, a, endpoint({ format: "csv", content: "a,b\n" })));
    expect(await updateEndpoint(db, a, created.id, { format: "json" })).toMatchObject({ kind: "invalid" });
    expect(
      value(await updateEndpoint(db, a, created.id, { format: "json", content: "{}" })).contentType,
    ).toBe("application/json");
    expect(await createEndpoint(db, b, endpoint({ path: created.path }))).toMatchObject({ kind: "conflict" });
  });

  it("keep their path while live or once paid for, and can't be deleted once paid for", async () => {
    const created = value(await createEndpoint(db, a, endpoint({ path: "paid/for.json", published: true })));
    expect(await updateEndpoint(db, a, created.id, { path: "moved.json" })).toMatchObject({
      kind: "conflict",
    });
    value(await updateEndpoint(db, a, created.id, { published: false }));
    await db.insert(payments).values({
      method: "authorization",
      network: "eip155:31337",
      asset: "0xusdc",
      payer: "0xpayer",
      payTo: a.payTo,
      nonce: "0x01",
      amountAtomic: 2_000n,
      resource: "data:paid/for.json",
      status: "settled",
    });
    expect(await updateEndpoint(db, a, created.id, { path: "moved.json" })).toMatchObject({
      kind: "conflict",
    });
    expect(await deleteEndpoint(db, a, created.id)).toMatchObject({ kind: "conflict" });
    const unpaid = value(await createEndpoint(db, a, endpoint({ path: "unpaid/first.json" })));
    await db
      .insert(resourceStats)
      .values({ resource: "data:unpaid/first.json", day: "2030-01-01", shown402: 9 });
    expect(value(await updateEndpoint(db, a, unpaid.id, { path: "renamed/ok.json" })).path).toBe(
      "renamed/ok.json",
    );
    await db
      .insert(resourceStats)
      .values({ resource: "data:renamed/ok.json", day: "2030-01-01", shown402: 3 });
    expect((await deleteEndpoint(db, a, unpaid.id)).kind).toBe("ok");
    // Neither path hands its 402 counts to whoever takes it next.
    expect((await salesSummary(db, ["data:unpaid/first.json", "data:renamed/ok.json"])).funnel.shown402).toBe(
      0,
    );
  });
});

describe("promotions", () => {
  const hour = 3_600_000;
  const soon = () => ({
    price: "0.02",
    startsAt: new Date(Date.now() - hour).toISOString(),
    endsAt: new Date(Date.now() + hour).toISOString(),
  });

  it("are stored with the article, shown to the studio, priced on the catalogue, and ended with null", async () => {
    const promotion = soon();
    const created = value(await createArticle(db, a, article({ promotion })));
    expect(created).toMatchObject({
      priceAtomic: 50_000n,
      promoPriceAtomic: 20_000n,
      promoStartsAt: new Date(promotion.startsAt),
      promoEndsAt: new Date(promotion.endsAt),
    });
    expect(toStudioArticle(created).promotion).toEqual({
      price: { atomic: "20000", dollars: "0.02", display: "$0.02" },
      startsAt: promotion.startsAt,
      endsAt: promotion.endsAt,
    });
    expect(articleResource({ ...created, publisher: a }).promotion?.priceAtomic).toBe(20_000n);
    const ended = value(
      await updateArticle(db, a, created.id, articlePatchSchema.parse({ promotion: null })),
    );
    expect(ended).toMatchObject({ promoPriceAtomic: null, promoStartsAt: null, promoEndsAt: null });
    expect(toStudioArticle(ended).promotion).toBeNull();
  });

  it("refuse a promotional price not below the regular one, an end before the start or in the past", async () => {
    const notLower = await createArticle(db, a, article({ promotion: { ...soon(), price: "0.05" } }));
    expect(notLower).toEqual({
      kind: "invalid",
      message: "A promotional price must be lower than the regular price ($0.05).",
    });
    const over = await createArticle(
      db,
      a,
      article({
        promotion: {
          price: "0.02",
          startsAt: new Date(Date.now() - 2 * hour).toISOString(),
          endsAt: new Date(Date.now() - hour).toISOString(),
        },
      }),
    );
    expect(over).toMatchObject({ kind: "invalid", message: expect.stringMatching(/already be over/) });
    const backwards = articlePatchSchema.safeParse({
      promotion: { price: "0.02", startsAt: soon().endsAt, endsAt: soon().startsAt },
    });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0]?.message).toBe("A promotion must end after it starts.");
    expect(articlePatchSchema.safeParse({ promotion: { price: "0.02", startsAt: "tomorrow" } }).success).toBe(
      false,
    );
  });

  it("keep a promotion below a changed regular price", async () => {
    const created = value(await createArticle(db, a, article({ promotion: soon() })));
    expect(await updateArticle(db, a, created.id, articlePatchSchema.parse({ price: "0.02" }))).toMatchObject(
      {
        kind: "invalid",
        message: expect.stringMatching(/must stay lower than the regular price/),
      },
    );
    expect(
      value(await updateArticle(db, a, created.id, articlePatchSchema.parse({ price: "0.03" }))),
    ).toMatchObject({ priceAtomic: 30_000n, promoPriceAtomic: 20_000n });
  });

  it("apply to data endpoints the same way", async () => {
    const created = value(
      await createEndpoint(
        db,
        a,
        endpointCreateSchema.parse({
          name: "Promo data",
          path: `promo/${Math.random().toString(36).slice(2, 8)}.json`,
          format: "json",
          content: "{}",
          price: "0.01",
          accessWindow: "per-request",
          promotion: { ...soon(), price: "0.005" },
        }),
      ),
    );
    expect(created).toMatchObject({ priceAtomic: 10_000n, promoPriceAtomic: 5_000n });
    expect(
      await updateEndpoint(db, a, created.id, {
        promotion: { price: 20_000n, startsAt: new Date(), endsAt: new Date(Date.now() + hour) },
      }),
    ).toMatchObject({
      kind: "invalid",
      message: "A promotional price must be lower than the regular price ($0.01).",
    });
    expect(value(await updateEndpoint(db, a, created.id, { promotion: null }))).toMatchObject({
      promoPriceAtomic: null,
    });
  });
});
