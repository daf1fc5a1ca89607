// The one loader of what is for sale: a resource key → the priced resource and the bytes it
// serves. The gasless GET routes and the transfer claim all deliver through `loadPricedResource`,
// so a purchase serves the same body and Content-Type whichever way it was paid. Rows come from
// the catalogue cache (catalog-cache.ts): no query once an item is warm.
import type { Db } from "../db/client";
import { articleMarkdown, lockedArticleMarkdown, MARKDOWN_TYPE } from "./article-markdown";
import { articleResource, dataResource, toArticleDto, toArticleJson, type PricedResource } from "./catalog";
import { catalogFor } from "./catalog-cache";
import { parseResourceKey, type ResourceRef } from "./resource-keys";

/** What a paid response carries. */
export type Content = { body: string; contentType: string };

export type LoadedResource = {
  resource: PricedResource;
  /** Unpublished items stay readable by receipt holders only; the caller decides. */
  published: boolean;
  /** The bytes a buyer gets: built only once the purchase (or the receipt) is good. */
  produce: () => Promise<Content>;
  /** Markdown only: what a locked article shows beside its 402 (heading, teaser, how to pay). */
  preview: ((p: { apiUrl: string; problem?: string }) => Content) | null;
};

/** The form a buyer asked for: JSON (the default) or Markdown (articles; datasets are served as stored). */
export type ContentFormat = "json" | "markdown";

/**
 * The priced resource a key names, unpublished ones included (callers check `published`), and
 * how to produce it: an article as its JSON DTO with the body (or as Markdown), a dataset as
 * stored, with `charset=utf-8` on text types (CSV). Null when nothing has that key. The format
 * changes only the bytes, never the resource: the price, the 402 and the receipt are the same.
 */
export async function loadPricedResource(
  db: Db,
  key: string,
  format: ContentFormat = "json",
): Promise<LoadedResource | null> {
  const ref = parseResourceKey(key);
  if (!ref) return null;
  if (ref.kind === "article") {
    const row = await catalogFor(db).article(ref.slug);
    if (!row) return null;
    const markdown = format === "markdown";
    return {
      resource: articleResource(row),
      published: row.published,
      produce: async () => {
        const dto = toArticleDto(row, { unlocked: true });
        return markdown
          ? { contentType: MARKDOWN_TYPE, body: articleMarkdown(dto) }
          : { contentType: "application/json", body: JSON.stringify({ article: toArticleJson(dto) }) };
      },
      preview: markdown
        ? (p) => ({
            contentType: MARKDOWN_TYPE,
            body: lockedArticleMarkdown(toArticleDto(row, { unlocked: false }), p),
          })
        : null,
    };
  }
  const row = await catalogFor(db).dataEndpoint(ref.path);
  if (!row) return null;
  const contentType = row.contentType.startsWith("text/")
    ? `${row.contentType}; charset=utf-8`
    : row.contentType;
  return {
    resource: dataResource(row),
    published: row.published,
    produce: async () => ({ contentType, body: row.content }),
    preview: null,
  };
}

export function notFoundMessage(kind: ResourceRef["kind"]): string {
  return kind === "article" ? "No such article." : "No such data endpoint.";
}
