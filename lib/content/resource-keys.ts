// Resource keys, the one name for what can be bought: "article:<slug>", "data:<path>". Payments,
// entitlements, receipts, funnel counts and sales are all filed under them, so they are built and
// parsed here and nowhere else; renaming the scheme is a change to this file only. Pure (proxy.ts
// reads keys off request paths on every request).
import { z } from "zod";

/** Article slugs as they appear in URLs; anything else is not an article. */
export const articleSlugSchema = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

export type ResourceRef = { kind: "article"; slug: string } | { kind: "data"; path: string };

export const articleKey = (slug: string) => `article:${slug}`;
export const dataKey = (path: string) => `data:${path}`;

/** The other way round: what a key names, or null for a string that is not a key. */
export function parseResourceKey(key: string): ResourceRef | null {
  const colon = key.indexOf(":");
  const [kind, id] = [key.slice(0, colon), key.slice(colon + 1)];
  if (colon === -1 || !id) return null;
  if (kind === "article") return { kind, slug: id };
  if (kind === "data") return { kind, path: id };
  return null;
}

/** Which resource a request path names ("/articles/x" and "/api/articles/x" → "article:x"). */
export function resourceKeyForPath(pathname: string): string | null {
  const article = /^\/(?:api\/)?articles\/([^/]+)\/?$/.exec(pathname);
  if (article) return articleKey(safeDecode(article[1]!));
  const data = /^\/api\/data\/(.+)$/.exec(pathname);
  if (data) return dataKey(data[1]!.split("/").map(safeDecode).join("/"));
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** What a paid URL asks for: its kind, and its key, or null when the URL cannot name one. */
export type Requested = { kind: ResourceRef["kind"]; key: string | null };

/** GET /api/articles/:slug: a slug that cannot be an article names nothing (no lookup). */
export function articleKeyOf({ slug }: { slug: string }): Requested {
  const parsed = articleSlugSchema.safeParse(slug);
  return { kind: "article", key: parsed.success ? articleKey(parsed.data) : null };
}

/** GET /api/data/:path*: a path longer than any endpoint's names nothing. */
export function dataKeyOf({ path }: { path: string[] }): Requested {
  const joined = path.join("/");
  return { kind: "data", key: joined.length > 300 ? null : dataKey(joined) };
}
