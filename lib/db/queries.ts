// Reads of the catalog: articles and data endpoints, each joined with its publisher (whose payTo
// is where the money goes). Storage functions take the db first. Drafts and unpublished
// endpoints are invisible unless a caller asks for them (the studio will).
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { articles, catalogVersion, dataEndpoints, publishers } from "./schema";

export type Publisher = typeof publishers.$inferSelect;
export type Article = typeof articles.$inferSelect;
export type DataEndpoint = typeof dataEndpoints.$inferSelect;
export type ArticleWithPublisher = Article & { publisher: Publisher };
export type DataEndpointWithPublisher = DataEndpoint & { publisher: Publisher };

type Visibility = { includeUnpublished?: boolean };

/** Where a page of articles stopped: publication time in µs since the epoch ("-1": none), then id. */
export type ArticleCursor = { key: string; id: number };
/** Where a page of data endpoints stopped: the last path (paths are unique). */
export type DataCursor = { path: string };
export type Page<Row, Cursor> = { rows: Row[]; next: Cursor | null };
type PageRequest<Cursor> = { limit: number; after?: Cursor | null };

// Exact to the microsecond (a JS Date would round it), and -1 sorts unpublished-at rows last.
const articleKey = sql`coalesce((extract(epoch from ${articles.publishedAt}) * 1000000)::bigint, -1)`;

/** Newest first, then by id: a stable order a cursor can resume. */
export async function listPublishedArticles(
  db: Db,
  { limit, after = null }: PageRequest<ArticleCursor>,
): Promise<Page<ArticleWithPublisher, ArticleCursor>> {
  const rows = await db
    .select({ article: articles, publisher: publishers, key: sql<string>`(${articleKey})::text` })
    .from(articles)
    .innerJoin(publishers, eq(articles.publisherId, publishers.id))
    .where(
      and(
        eq(articles.published, true),
        after
          ? sql`(${articleKey} < ${after.key}::bigint or (${articleKey} = ${after.key}::bigint and ${articles.id} > ${after.id}))`
          : undefined,
      ),
    )
    .orderBy(sql`${articleKey} desc`, asc(articles.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({ ...r.article, publisher: r.publisher })),
    next: rows.length > limit && last ? { key: last.key, id: last.article.id } : null,
  };
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
export async function listDataEndpoints(
  db: Db,
  { limit, after = null }: PageRequest<DataCursor>,
): Promise<Page<DataEndpointWithPublisher, DataCursor>> {
  const rows = await db
    .select({ endpoint: dataEndpoints, publisher: publishers })
    .from(dataEndpoints)
    .innerJoin(publishers, eq(dataEndpoints.publisherId, publishers.id))
    .where(and(eq(dataEndpoints.published, true), after ? gt(dataEndpoints.path, after.path) : undefined))
    .orderBy(asc(dataEndpoints.path))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({ ...r.endpoint, publisher: r.publisher })),
    next: rows.length > limit && last ? { path: last.endpoint.path } : null,
  };
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

/** The catalogue's version counter (moved by triggers on every write to it); 0 if the row is gone. */
export async function readCatalogVersion(db: Db): Promise<number> {
  const [row] = await db
    .select({ version: catalogVersion.version })
    .from(catalogVersion)
    .where(eq(catalogVersion.id, 1));
  return row?.version ?? 0;
}
