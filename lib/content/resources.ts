// The one loader of what is for sale: a resource key → the priced resource and the bytes it
// serves. The gasless GET routes and the transfer claim all deliver through `loadPricedResource`,
// so a purchase serves the same body and Content-Type whichever way it was paid. Rows come from
// the catalogue cache (catalog-cache.ts): no query once an item is warm.
import type { Db } from "../db/client";
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
};

/**
 * The priced resource a key names, unpublished ones included (callers check `published`), and
 * how to produce it: an article as its JSON DTO with the body, a dataset as stored, with
 * `charset=utf-8` on text types (CSV). Null when nothing has that key.
 */
export async function loadPricedResource(db: Db, key: string): Promise<LoadedResource | null> {
  const ref = parseResourceKey(key);
  if (!ref) return null;
  if (ref.kind === "article") {
    const row = await catalogFor(db).article(ref.slug);
    if (!row) return null;
    return {
      resource: articleResource(row),
      published: row.published,
      produce: async () => ({
        contentType: "application/json",
        body: JSON.stringify({ article: toArticleJson(toArticleDto(row, { unlocked: true })) }),
      }),
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
  };
}

export function notFoundMessage(kind: ResourceRef["kind"]): string {
  return kind === "article" ? "No such article." : "No such data endpoint.";
}
