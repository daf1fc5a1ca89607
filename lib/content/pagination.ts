// Pages of a listing: `limit` (default 50, at most 100) and an opaque `cursor` naming where the
// previous page stopped in a stable order (keyset, not offset: an item published meanwhile never
// shifts an item onto two pages or off all of them). Pure; the queries interpret the cursor.
import { z } from "zod";
import type { ArticleCursor, DataCursor } from "../db/queries";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Articles, newest first: publication time in microseconds since the epoch ("-1" if none), then id. */
export const articleCursorSchema: z.ZodType<ArticleCursor, z.ZodTypeDef, unknown> = z
  .tuple([z.string().regex(/^-?[0-9]{1,20}$/), z.number().int().positive()])
  .transform(([key, id]) => ({ key, id }));

/** Data endpoints, by path (unique). */
export const dataCursorSchema: z.ZodType<DataCursor, z.ZodTypeDef, unknown> = z
  .tuple([z.string().min(1).max(300)])
  .transform(([path]) => ({ path }));

export function encodeCursor(cursor: ArticleCursor | DataCursor): string {
  const parts = "path" in cursor ? [cursor.path] : [cursor.key, cursor.id];
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeCursor<Cursor>(
  raw: string,
  schema: z.ZodType<Cursor, z.ZodTypeDef, unknown>,
): Cursor | null {
  if (raw.length > 600 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export type PageQuery<Cursor> = { limit: number; after: Cursor | null };

export function parsePageQuery<Cursor>(
  params: URLSearchParams,
  schema: z.ZodType<Cursor, z.ZodTypeDef, unknown>,
  cursorParam = "cursor",
): { kind: "ok"; page: PageQuery<Cursor> } | { kind: "invalid"; reason: string } {
  const rawLimit = params.get("limit");
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== null) {
    limit = /^[0-9]{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE))
      return { kind: "invalid", reason: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` };
  }
  const rawCursor = params.get(cursorParam);
  if (rawCursor === null) return { kind: "ok", page: { limit, after: null } };
  const after = decodeCursor(rawCursor, schema);
  if (after === null)
    return { kind: "invalid", reason: `${cursorParam} is not one this server gave out; start without it` };
  return { kind: "ok", page: { limit, after } };
}
