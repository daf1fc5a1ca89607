// Reads of the catalog: articles and data endpoints, each joined with its publisher (whose payTo
// is where the money goes). Storage functions take the db first. Drafts and unpublished
// endpoints are invisible unless a caller asks for them (the studio will).
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { articles, dataEndpoints, publishers } from "./schema";

export type Publisher = typeof publishers.$inferSelect;
export type Article = typeof articles.$inferSelect;
export type DataEndpoint = typeof dataEndpoints.$inferSelect;
export type ArticleWithPublisher = Article & { publisher: Publisher };
export type DataEndpointWithPublisher = DataEndpoint & { publisher: Publisher };

type Visibility = { includeUnpublished?: boolean };

/** Newest first. */
export async function listPublishedArticles(db: Db): Promise<ArticleWithPublisher[]> {
  const rows = await db
    .select({ article: articles, publisher: publishers })
    .from(articles)
    .innerJoin(publishers, eq(articles.publisherId, publishers.id))
    .where(eq(articles.published, true))
    .orderBy(sql`${articles.publishedAt} desc nulls last`, asc(articles.id));
  return rows.map((r) => ({ ...r.article, publisher: r.publisher }));
}

export async function getArticleBySlug(
  db: Db,
  slug: string,
  { includeUnpublished = false }: Visibility = {},
): Promise<ArticleWithPublisher | null> {
  const [row] = await db
    .select({ article: articles, publisher: publishers })
    .from(articles)
    .innerJoin(publishers, eq(articles.publisherId, publishers.id))
    .where(
      includeUnpublished
        ? eq(articles.slug, slug)
        : and(eq(articles.slug, slug), eq(articles.published, true)),
    )
    .limit(1);
  return row ? { ...row.article, publisher: row.publisher } : null;
}

/** Published endpoints, by path. */
export async function listDataEndpoints(db: Db): Promise<DataEndpointWithPublisher[]> {
  const rows = await db
    .select({ endpoint: dataEndpoints, publisher: publishers })
    .from(dataEndpoints)
    .innerJoin(publishers, eq(dataEndpoints.publisherId, publishers.id))
    .where(eq(dataEndpoints.published, true))
    .orderBy(asc(dataEndpoints.path));
  return rows.map((r) => ({ ...r.endpoint, publisher: r.publisher }));
}

export async function getDataEndpointByPath(
  db: Db,
  path: string,
  { includeUnpublished = false }: Visibility = {},
): Promise<DataEndpointWithPublisher | null> {
  const [row] = await db
    .select({ endpoint: dataEndpoints, publisher: publishers })
    .from(dataEndpoints)
    .innerJoin(publishers, eq(dataEndpoints.publisherId, publishers.id))
    .where(
      includeUnpublished
        ? eq(dataEndpoints.path, path)
        : and(eq(dataEndpoints.path, path), eq(dataEndpoints.published, true)),
    )
    .limit(1);
  return row ? { ...row.endpoint, publisher: row.publisher } : null;
}
