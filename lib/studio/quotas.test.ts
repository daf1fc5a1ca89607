// Any wallet can open a publisher profile, so each profile's articles and data endpoints are
// capped: past the cap, creating one more is a 409 with a sentence saying what to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db, type DbHandle } from "../db/client";
import type { Publisher } from "../db/queries";
import { articles, dataEndpoints } from "../db/schema";
import { articleCreateSchema, createArticle, MAX_ARTICLES_PER_PUBLISHER } from "./articles";
import { createEndpoint, endpointCreateSchema, MAX_ENDPOINTS_PER_PUBLISHER } from "./endpoints";
import { createPublisher } from "./publishers";
import type { Result } from "./results";

const RULES = { token: "0x5fbdb2315678afecb367f032d93f642f64180aa3", relayer: null } as const;
let handle: DbHandle;
let db: Db;
let prolific: Publisher;
let other: Publisher;

const value = <T>(r: Result<T>): T => {
  if (r.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
};

beforeAll(async () => {
  handle = await openDb({ kind: "pglite", dataDir: null });
  db = handle.db;
  prolific = value(await createPublisher(db, `0x${"1".repeat(40)}`, { name: "Prolific" }, RULES));
  other = value(await createPublisher(db, `0x${"2".repeat(40)}`, { name: "Other" }, RULES));
});

afterAll(async () => {
  await handle.close();
});

const article = (slug: string) =>
  articleCreateSchema.parse({ title: "T", slug, body: "Body.", price: "0.01", accessWindow: "7d" });
const endpoint = (path: string) =>
  endpointCreateSchema.parse({
    name: "N",
    path,
    format: "json",
    content: "{}",
    price: "0.01",
    accessWindow: "per-request",
  });

describe("per-publisher caps", () => {
  it(`allow ${MAX_ARTICLES_PER_PUBLISHER} articles, then answer 409; other publishers are not affected`, async () => {
    await db.insert(articles).values(
      Array.from({ length: MAX_ARTICLES_PER_PUBLISHER - 1 }, (_, i) => ({
        publisherId: prolific.id,
        slug: `filler-${i}`,
        title: "Filler",
        teaser: "",
        body: "Filler.",
        priceAtomic: 10_000n,
      })),
    );
    value(await createArticle(db, prolific, article("the-last-one")));
    expect(await createArticle(db, prolific, article("one-too-many"))).toEqual({
      kind: "conflict",
      message: `A publisher can have at most ${MAX_ARTICLES_PER_PUBLISHER} articles; delete drafts you no longer need to add another.`,
    });
    expect((await createArticle(db, other, article("others-first"))).kind).toBe("ok");
  });

  it(`allow ${MAX_ENDPOINTS_PER_PUBLISHER} data endpoints, then answer 409`, async () => {
    await db.insert(dataEndpoints).values(
      Array.from({ length: MAX_ENDPOINTS_PER_PUBLISHER }, (_, i) => ({
        publisherId: prolific.id,
        path: `filler/${i}.json`,
        name: "Filler",
        description: "",
        contentType: "application/json",
        content: "{}",
        priceAtomic: 10_000n,
      })),
    );
    expect(await createEndpoint(db, prolific, endpoint("one/too-many.json"))).toEqual({
      kind: "conflict",
      message: `A publisher can have at most ${MAX_ENDPOINTS_PER_PUBLISHER} data endpoints; delete ones you no longer need to add another.`,
    });
    expect((await createEndpoint(db, other, endpoint("other/first.json"))).kind).toBe("ok");
  });
});
