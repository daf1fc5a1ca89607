// A publisher's articles: create, edit, publish, unpublish, delete. Every command takes the
// signed-in publisher and refuses (forbidden) what belongs to another one.
//
// Invariants worth knowing before changing anything here:
// - A price change reaches new 402s only. Receipts carry their own resource and expiry (lib/verify.ts)
//   and entitlements their own expiry, so readers who paid keep what they bought.
// - The slug is the resource key ("article:<slug>") that payments, entitlements, receipts and the
//   funnel counters are filed under, so it freezes the first time the article is published.
// - Only a never-published draft can be deleted; afterwards, unpublish: the article leaves the
//   catalog, but readers who paid keep reading it with their receipts (lib/db/queries.ts).
// - The body is parsed once, by bodySchema, and its tree stored with it; the derived teaser and
//   every render read that tree, never the Markdown.
import "server-only";
import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import { catalogChanged } from "../content/catalog-cache";
import { storedTree, type BodyTree } from "../content/markdown";
import { formatPrice, toUsdcDecimal } from "../content/money";
import type { Db } from "../db/client";
import type { Article, Publisher } from "../db/queries";
import { articles } from "../db/schema";
import { conflict, forbidden, invalid, isUniqueViolation, notFound, ok, type Result } from "./results";
import { resolveTeaser } from "./teaser";
import {
  ARTICLE_WINDOWS,
  articleWindowOf,
  checkPromotion,
  promotionChangeProblem,
  promotionColumns,
  studioPromotionOf,
  type StudioPromotion,
  type ArticleCreate,
  type ArticlePatch,
  type ArticleWindow,
} from "./validation";

// The request bodies' schemas are pure, so they live with the other input rules (scripts run them
// outside Next); the routes take them from here, with the commands they feed.
export { articleCreateSchema, articlePatchSchema, type ArticleCreate, type ArticlePatch } from "./validation";

/** The studio's view of an article: everything the editor shows, JSON-safe. */
export type StudioArticle = {
  id: number;
  slug: string;
  title: string;
  teaser: string;
  /** The stored teaser is just the first paragraph (the editor shows an empty teaser field). */
  teaserIsDerived: boolean;
  body: string;
  price: { atomic: string; dollars: string; display: string };
  /** A promotional price with its start and end, or null. */
  promotion: StudioPromotion;
  accessWindow: ArticleWindow;
  published: boolean;
  publishedAt: string | null;
  updatedAt: string;
  /** Set once published: see the invariants above. */
  slugLocked: boolean;
};

/** The row's stored tree; a row from before the column (filled at startup) is parsed here, once. */
const treeOf = (row: Article): BodyTree => row.bodyTree ?? storedTree(row.body);

export function toStudioArticle(row: Article): StudioArticle {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    teaser: row.teaser,
    teaserIsDerived: row.teaser === resolveTeaser(null, treeOf(row)),
    body: row.body,
    price: {
      atomic: row.priceAtomic.toString(),
      dollars: toUsdcDecimal(row.priceAtomic), // what the price field holds: "0.05"
      display: formatPrice(row.priceAtomic),
    },
    promotion: studioPromotionOf(row),
    accessWindow: articleWindowOf(row.accessWindowSeconds),
    published: row.published,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    slugLocked: row.publishedAt !== null,
  };
}

export async function listArticles(db: Db, publisher: Publisher): Promise<Article[]> {
  return db
    .select()
    .from(articles)
    .where(eq(articles.publisherId, publisher.id))
    .orderBy(desc(articles.updatedAt), asc(articles.id));
}

/** The article if it is the publisher's; forbidden if someone else's; not-found if nobody's. */
export async function ownArticle(db: Db, publisher: Publisher, id: number): Promise<Result<Article>> {
  const [row] = await db.select().from(articles).where(eq(articles.id, id)).limit(1);
  if (!row) return notFound;
  if (row.publisherId !== publisher.id) return forbidden;
  return ok(row);
}

const slugTaken = (slug: string) => conflict(`The slug "${slug}" is taken; choose another.`);

/**
 * Any wallet can become a publisher, so what one may store is capped: the catalog, listings and
 * sales pages stay bounded. A check before the insert, not a lock: two concurrent creates may
 * end one over the cap, which is harmless.
 */
export const MAX_ARTICLES_PER_PUBLISHER = 500;

export async function createArticle(
  db: Db,
  publisher: Publisher,
  input: ArticleCreate,
  now = new Date(),
): Promise<Result<Article>> {
  const [owned] = await db
    .select({ n: count() })
    .from(articles)
    .where(eq(articles.publisherId, publisher.id));
  if ((owned?.n ?? 0) >= MAX_ARTICLES_PER_PUBLISHER) {
    return conflict(
      `A publisher can have at most ${MAX_ARTICLES_PER_PUBLISHER} articles; delete drafts you no longer need to add another.`,
    );
  }
  const promotionProblem = input.promotion ? checkPromotion(input.promotion, input.price, now) : null;
  if (promotionProblem) return invalid(promotionProblem);
  const [row] = await db
    .insert(articles)
    .values({
      publisherId: publisher.id,
      slug: input.slug,
      title: input.title,
      teaser: resolveTeaser(input.teaser, input.body.tree),
      body: input.body.source,
      bodyTree: input.body.tree,
      priceAtomic: input.price,
      ...promotionColumns(input.promotion ?? null),
      accessWindowSeconds: ARTICLE_WINDOWS[input.accessWindow],
      published: false,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: articles.slug })
    .returning();
  if (!row) return slugTaken(input.slug);
  catalogChanged(db);
  return ok(row);
}

export async function updateArticle(
  db: Db,
  publisher: Publisher,
  id: number,
  patch: ArticlePatch,
  now = new Date(),
): Promise<Result<Article>> {
  const owned = await ownArticle(db, publisher, id);
  if (owned.kind !== "ok") return owned;
  const current = owned.value;
  const renaming = patch.slug !== undefined && patch.slug !== current.slug;
  if (renaming && current.publishedAt !== null) {
    return conflict(
      "The slug can't change after the article was published: readers' receipts and your sales are filed under it.",
    );
  }
  const currentTree = treeOf(current);
  const tree = patch.body?.tree ?? currentTree;
  // An explicit teaser wins; an empty one (or a derived one left alone) follows the body.
  const teaserWasDerived = current.teaser === resolveTeaser(null, currentTree);
  const teaser =
    patch.teaser !== undefined
      ? resolveTeaser(patch.teaser, tree)
      : teaserWasDerived
        ? resolveTeaser(null, tree)
        : current.teaser;
  const publishing = patch.published === true && !current.published;
  const promotionProblem = promotionChangeProblem(patch, current, now);
  if (promotionProblem) return invalid(promotionProblem);
  try {
    const [row] = await db
      .update(articles)
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.slug !== undefined && { slug: patch.slug }),
        ...(patch.price !== undefined && { priceAtomic: patch.price }),
        ...(patch.promotion !== undefined && promotionColumns(patch.promotion)),
        ...(patch.accessWindow !== undefined && { accessWindowSeconds: ARTICLE_WINDOWS[patch.accessWindow] }),
        ...(patch.published !== undefined && { published: patch.published }),
        // The first publication date stays: it orders the catalog and freezes the slug.
        ...(publishing && current.publishedAt === null && { publishedAt: now }),
        body: patch.body?.source ?? current.body,
        bodyTree: tree,
        teaser,
        updatedAt: now,
      })
      .where(
        and(
          eq(articles.id, id),
          eq(articles.publisherId, publisher.id),
          // Re-checked in the write: a publish racing this rename must not strand the old slug's sales.
          renaming ? isNull(articles.publishedAt) : undefined,
        ),
      )
      .returning();
    if (!row)
      return renaming
        ? conflict("The article was published meanwhile, so its slug can't change now.")
        : notFound;
    catalogChanged(db); // this instance's 402s and reads see the change at once
    return ok(row);
  } catch (error) {
    if (isUniqueViolation(error)) return slugTaken(patch.slug ?? current.slug);
    throw error;
  }
}

export async function deleteArticle(
  db: Db,
  publisher: Publisher,
  id: number,
): Promise<Result<{ id: number }>> {
  const owned = await ownArticle(db, publisher, id);
  if (owned.kind !== "ok") return owned;
  if (owned.value.publishedAt !== null) {
    return conflict(
      "A published article can't be deleted (readers may hold receipts for it); unpublish it instead.",
    );
  }
  await db.delete(articles).where(and(eq(articles.id, id), eq(articles.publisherId, publisher.id)));
  catalogChanged(db);
  return ok({ id });
}
